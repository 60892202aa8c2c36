"""Signed helpdesk webhooks: generic, Zendesk and Jira shapes; valid, bad, stale and replayed
signatures; unknown integrations and malformed bodies change nothing and are never a 500."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.tickets import services
from apps.tickets.models import Ticket, TicketSessionLink, TicketStatusChange

from . import webhook_payloads as p

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration_of(org_a):
    """``integration_of(kind)`` → (integration, secret, webhook path) in org A."""

    def make(kind):
        integration, secret = services.integration_create(organization=org_a, kind=kind)
        return integration, secret, f"/webhooks/helpdesk/{integration.public_id}"

    return make


def _post(client, path, body: bytes, headers: dict):
    return client.generic("POST", path, data=body, content_type="application/json", headers=headers)


def _send(client, path, secret, payload, scheme="qorrelate", **kwargs):
    body = p.body_of(payload)
    headers = {
        "qorrelate": p.qorrelate_headers,
        "zendesk": p.zendesk_headers,
        "jira": lambda s, b, **_: p.jira_headers(s, b),
    }[scheme](secret, body, **kwargs)
    return _post(client, path, body, headers)


def _nothing_changed():
    assert Ticket.objects.count() == 0
    assert TicketStatusChange.objects.count() == 0


# Generic ----------------------------------------------------------------------------------


def test_a_signed_generic_delivery_creates_the_ticket(client, integration_of, org_a):
    _integration, secret, path = integration_of("generic")
    response = _send(client, path, secret, p.generic())
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True and response.json()["created"] is True
    ticket = Ticket.objects.get()
    assert (ticket.organization, ticket.source, ticket.external_id) == (org_a, "intercom", "T-100")
    assert ticket.reporter_user_id == "u-42" and ticket.reporter_email == "dana@example.com"
    assert ticket.integration_id == _integration.pk
    assert TicketStatusChange.objects.get().source == "webhook"


def test_a_status_change_closes_the_ticket_and_sets_closed_at(client, integration_of):
    _integration, secret, path = integration_of("generic")
    assert _send(client, path, secret, p.generic()).status_code == 200
    solved = p.generic(status="solved") | {"occurred_at": "2030-01-03T08:00:00Z"}
    response = _send(client, path, secret, solved)
    assert response.status_code == 200 and response.json()["created"] is False
    ticket = Ticket.objects.get()
    assert ticket.status == "solved" and ticket.closed_at is not None
    reopened = p.generic(status="open") | {"occurred_at": "2030-01-04T08:00:00Z"}
    assert _send(client, path, secret, reopened).status_code == 200
    ticket.refresh_from_db()
    assert ticket.closed_at is None


def test_a_bad_signature_is_a_401_and_changes_nothing(client, integration_of):
    _integration, _secret, path = integration_of("generic")
    response = _send(client, path, "whsec_not-the-secret", p.generic())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    _nothing_changed()


def test_a_tampered_body_is_a_401(client, integration_of):
    _integration, secret, path = integration_of("generic")
    body = p.body_of(p.generic())
    headers = p.qorrelate_headers(secret, body)
    response = _post(client, path, body.replace(b"open", b"closed"), headers)
    assert response.status_code == 401
    _nothing_changed()


def test_an_unsigned_delivery_is_a_401(client, integration_of):
    _integration, _secret, path = integration_of("generic")
    response = _post(client, path, p.body_of(p.generic()), {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_signature"
    _nothing_changed()


# A minute past the 300 s tolerance either way: a loaded machine may take seconds between stamping
# and checking, which must not turn a stamp from the future into an accepted one.
@pytest.mark.parametrize("age", [-360, 360, 3600])
def test_a_stale_timestamp_is_a_401_even_when_signed(client, integration_of, age):
    _integration, secret, path = integration_of("generic")
    response = _send(client, path, secret, p.generic(), timestamp=int(time.time()) - age)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_timestamp"
    _nothing_changed()


def test_an_unreadable_timestamp_is_a_401(client, integration_of):
    _integration, secret, path = integration_of("generic")
    response = _send(client, path, secret, p.generic(), timestamp="soon")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_timestamp"


def test_an_exact_replay_is_refused(client, integration_of):
    _integration, secret, path = integration_of("generic")
    body = p.body_of(p.generic())
    headers = p.qorrelate_headers(secret, body)
    assert _post(client, path, body, headers).status_code == 200
    replay = _post(client, path, body, headers)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed"
    assert TicketStatusChange.objects.count() == 1


def test_a_rotated_secret_refuses_the_old_one(client, integration_of, org_a):
    integration, old, path = integration_of("generic")
    _integration, new = services.integration_rotate_secret(
        organization=org_a, integration_id=integration.pk
    )
    assert _send(client, path, old, p.generic()).status_code == 401
    assert _send(client, path, new, p.generic()).status_code == 200


def test_an_unknown_or_disabled_integration_is_a_404(client, integration_of, org_a):
    integration, secret, path = integration_of("generic")
    unknown = _send(client, "/webhooks/helpdesk/hd_" + "0" * 24, secret, p.generic())
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_integration"
    assert _send(client, "/webhooks/helpdesk/../../etc", secret, p.generic()).status_code == 404
    services.integration_update(organization=org_a, integration_id=integration.pk, enabled=False)
    assert _send(client, path, secret, p.generic()).status_code == 404
    _nothing_changed()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        b'"just a string"',
        {"ticket": "nope"},
        {"ticket": {"subject": "no id"}},
        {"ticket": {"external_id": {"nested": True}}},
        {"ticket": {"external_id": "1", "status": "exploded"}},
        {"ticket": {"external_id": "1", "source": "myspace"}},
        {"ticket": {"external_id": "1", "created_at": "someday"}},
        {"ticket": {"external_id": "1", "reporter": {"email": "not-an-email"}}},
        {"ticket": {"external_id": "1", "reporter": "dana"}},
        {"ticket": {"external_id": "1", "session_ids": "abc"}},
        {"ticket": {"external_id": "x" * 300}},
    ],
)
def test_a_malformed_body_is_a_400_and_changes_nothing(client, integration_of, payload):
    _integration, secret, path = integration_of("generic")
    response = _send(client, path, secret, payload)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    _nothing_changed()


def test_only_post_is_accepted(client, integration_of):
    _integration, _secret, path = integration_of("generic")
    response = client.get(path)
    assert response.status_code == 405 and response.json()["error"]["code"]


def test_a_too_large_body_is_a_413(client, integration_of):
    _integration, secret, path = integration_of("generic")
    payload = p.generic(subject="x" * (1024 * 1024 + 10))
    response = _send(client, path, secret, payload)
    assert response.status_code == 413
    _nothing_changed()


def test_session_ids_in_a_delivery_are_linked_and_unknown_ones_reported(
    client, integration_of, org_a, org_b, make_session
):
    _integration, secret, path = integration_of("generic")
    ours, theirs = make_session(org_a), make_session(org_b)
    payload = p.generic(session_ids=[ours.session_id, theirs.session_id, "notyetseen01"])
    response = _send(client, path, secret, payload)
    assert response.status_code == 200
    assert response.json()["unknown_session_ids"] == [theirs.session_id, "notyetseen01"]
    link = TicketSessionLink.objects.get()
    assert (link.session_id, link.how) == (ours.pk, "api")


def test_a_delivery_naming_the_reporter_links_their_recent_sessions(
    client, integration_of, org_a, make_session
):
    _integration, secret, path = integration_of("generic")
    now = timezone.now()
    session = make_session(org_a, user_id="u-42", started_at=now - timedelta(hours=3))
    payload = p.generic(created_at=now.isoformat())
    assert _send(client, path, secret, payload).status_code == 200
    link = TicketSessionLink.objects.get()
    assert (link.session_id, link.how) == (session.pk, "automatic")


# Zendesk ----------------------------------------------------------------------------------


def test_a_zendesk_trigger_body_signed_by_qorrelate_creates_the_ticket(client, integration_of):
    _integration, secret, path = integration_of("zendesk")
    response = _send(client, path, secret, p.zendesk_trigger())
    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.external_id, ticket.status) == ("zendesk", "35436", "open")
    assert ticket.url == "https://acme.zendesk.com/agent/tickets/35436"
    assert ticket.subject == "Checkout spins forever"
    assert (ticket.reporter_user_id, ticket.reporter_email) == ("u-42", "dana@example.com")


def test_zendesks_own_signature_is_accepted_with_its_signing_secret(client, integration_of, org_a):
    integration, _ours, path = integration_of("zendesk")
    zendesk_secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
    services.integration_set_secret(
        organization=org_a, integration_id=integration.pk, secret=zendesk_secret
    )
    response = _send(client, path, zendesk_secret, p.zendesk_trigger(), scheme="zendesk")
    assert response.status_code == 200, response.content
    assert Ticket.objects.get().external_id == "35436"


def test_zendesk_signatures_bad_stale_and_replayed_are_401(client, integration_of):
    _integration, secret, path = integration_of("zendesk")
    bad = _send(client, path, "wrong-secret-wrong-secret", p.zendesk_trigger(), scheme="zendesk")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_signature"
    stale = _send(
        client,
        path,
        secret,
        p.zendesk_trigger(),
        scheme="zendesk",
        timestamp="2021-07-25T10:00:00Z",
    )
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "stale_timestamp"
    body = p.body_of(p.zendesk_trigger())
    headers = p.zendesk_headers(secret, body)
    assert _post(client, path, body, headers).status_code == 200
    assert _post(client, path, body, headers).json()["error"]["code"] == "replayed"
    assert TicketStatusChange.objects.count() == 1


def test_a_zendesk_status_changed_event_solves_the_ticket(client, integration_of):
    _integration, secret, path = integration_of("zendesk")
    assert _send(client, path, secret, p.zendesk_trigger()).status_code == 200
    response = _send(client, path, secret, p.zendesk_status_changed(current="SOLVED"))
    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert ticket.status == "solved" and ticket.closed_at is not None
    change = TicketStatusChange.objects.filter(ticket=ticket).latest("id")
    assert (change.from_status, change.to_status) == ("open", "solved")


def test_a_zendesk_payload_of_the_wrong_shape_is_a_400(client, integration_of):
    _integration, secret, path = integration_of("zendesk")
    for payload in (
        {"type": "zen:event-type:user.active_changed", "detail": {"id": "1"}},
        {"type": "zen:event-type:ticket.created", "detail": "x"},
        p.zendesk_trigger(status="Exploded"),
    ):
        assert _send(client, path, secret, payload).status_code == 400
    _nothing_changed()


# Jira -------------------------------------------------------------------------------------


def test_a_jira_issue_webhook_with_jiras_own_signature_creates_the_ticket(client, integration_of):
    _integration, secret, path = integration_of("jira")
    response = _send(client, path, secret, p.jira_issue(), scheme="jira")
    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.external_id, ticket.status) == ("jira", "SHOP-7", "open")
    assert ticket.url == "https://acme.atlassian.net/browse/SHOP-7"
    assert ticket.reporter_email == "dana@example.com"


def test_jira_status_categories_map_to_ticket_statuses(client, integration_of):
    _integration, secret, path = integration_of("jira")
    for category, name, expected in [
        ("new", "To Do", "open"),
        ("indeterminate", "In Progress", "pending"),
        ("done", "Done", "solved"),
        ("done", "Closed", "closed"),
    ]:
        payload = p.jira_issue(category=category, status_name=name)
        assert _send(client, path, secret, payload, scheme="jira").status_code == 200
        assert Ticket.objects.get().status == expected


def test_a_deleted_jira_issue_closes_the_ticket(client, integration_of):
    _integration, secret, path = integration_of("jira")
    assert _send(client, path, secret, p.jira_issue(), scheme="jira").status_code == 200
    deleted = p.jira_issue(event="jira:issue_deleted")
    assert _send(client, path, secret, deleted, scheme="jira").status_code == 200
    assert Ticket.objects.get().status == "closed"


def test_jira_signatures_bad_stale_and_replayed_are_401(client, integration_of):
    _integration, secret, path = integration_of("jira")
    bad = _send(client, path, "not-the-secret", p.jira_issue(), scheme="jira")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_signature"
    old = p.jira_issue() | {"timestamp": int(time.time() * 1000) - 10 * 60 * 1000}
    stale = _send(client, path, secret, old, scheme="jira")
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "stale_timestamp"
    no_time = {k: v for k, v in p.jira_issue().items() if k != "timestamp"}
    assert _send(client, path, secret, no_time, scheme="jira").status_code == 401
    body = p.body_of(p.jira_issue())
    headers = p.jira_headers(secret, body)
    assert _post(client, path, body, headers).status_code == 200
    assert _post(client, path, body, headers).json()["error"]["code"] == "replayed"
    assert TicketStatusChange.objects.count() == 1


def test_a_jira_integration_also_accepts_the_qorrelate_signature(client, integration_of):
    _integration, secret, path = integration_of("jira")
    assert _send(client, path, secret, p.jira_issue()).status_code == 200


def test_another_helpdesks_native_signature_is_not_accepted(client, integration_of):
    _integration, secret, path = integration_of("generic")
    response = _send(client, path, secret, p.jira_issue(), scheme="jira")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_signature"


def test_a_delivery_only_touches_its_integrations_organization(client, integration_of, org_b):
    services.ticket_create(organization=org_b, source="intercom", external_id="T-100")
    _integration, secret, path = integration_of("generic")
    assert _send(client, path, secret, p.generic(status="closed")).status_code == 200
    theirs = Ticket.objects.get(organization=org_b)
    assert theirs.status == "open"
    assert Ticket.objects.count() == 2
