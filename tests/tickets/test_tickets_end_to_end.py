"""End to end: a user's browser session with errors arrives through the real intake; a helpdesk
creates a ticket for that user through the REST API; the session is linked (and a later session
of the same user too), and sampling and retention (apps.lifecycle) keep it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.replay.models import Session
from tests.replay import rrweb
from tests.replay.fixtures import post_batch  # noqa: F401

pytestmark = pytest.mark.django_db

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def eager_celery():
    from qorrelate.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


def _record(post_batch, org, *, user_id: str, started, with_errors: bool) -> Session:  # noqa: F811
    """One browser session through POST /ingest/v1/replay, identified as ``user_id``."""
    t = _ms(started)
    events = [*rrweb.page_load(t, "https://shop.test/checkout"), rrweb.click(t + 4_000)]
    if with_errors:
        events += [
            rrweb.network(t + 4_100, url="/api/payments", status=500, trace_id=TRACE),
            rrweb.uncaught_error(t + 4_300, "TypeError: cannot read properties of undefined"),
        ]
    events.append(rrweb.identify(t + 5_000, user_id, {"email": f"{user_id}@example.com"}))
    session_id = rrweb.new_session_id()
    body = rrweb.envelope(
        session_id, 0, events, org=org.public_id, ended=True, user={"id": user_id}
    )
    response = post_batch(org, body)
    assert response.status_code == 200, response.content
    return Session.objects.get(organization=org, session_id=session_id)


def test_a_ticket_created_through_the_api_links_the_users_error_session_and_it_is_kept(
    post_batch,  # noqa: F811
    api_key_client,
    org_a,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    crashed = _record(
        post_batch, org_a, user_id="u-42", started=now - timedelta(minutes=50), with_errors=True
    )
    bystander = _record(
        post_batch, org_a, user_id="u-7", started=now - timedelta(minutes=45), with_errors=True
    )
    assert crashed.error_count >= 2 and crashed.user_id == "u-42"

    helpdesk = api_key_client(org_a, scope="write")
    created = helpdesk.post(
        "/api/v1/tickets",
        {
            "source": "zendesk",
            "external_id": "4711",
            "subject": "Pay button does nothing",
            "reporter_user_id": "u-42",
            "created_at": (now - timedelta(minutes=30)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    ticket_id = created.json()["id"]

    sessions = helpdesk.get(f"/api/v1/tickets/{ticket_id}/sessions").json()["results"]
    assert [s["session_id"] for s in sessions] == [crashed.session_id]
    assert sessions[0]["how"] == "automatic" and sessions[0]["error_count"] >= 2
    offset = int(sessions[0]["replay_url"].rsplit("?t=", 1)[1])
    assert 0 <= offset <= 4_100  # just before the failed request
    tickets = helpdesk.get(f"/api/v1/sessions/{crashed.session_id}/tickets").json()["results"]
    assert [t["id"] for t in tickets] == [ticket_id]
    assert helpdesk.get(f"/api/v1/sessions/{bystander.session_id}/tickets").json()["results"] == []

    # The user's other tab flushes its recording only now; it began inside the window.
    late = _record(
        post_batch, org_a, user_id="u-42", started=now - timedelta(minutes=40), with_errors=False
    )
    from apps.tickets import tasks

    tasks.autolink_sweep()
    sessions = helpdesk.get(f"/api/v1/tickets/{ticket_id}/sessions").json()["results"]
    assert {s["session_id"] for s in sessions} == {crashed.session_id, late.session_id}

    # Sampling (everything normal dropped) and retention a year later keep the ticket's sessions.
    from apps.lifecycle import services as lifecycle

    lifecycle.sampling_policy_update(organization=org_a, normal_rate=0)
    later = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.sessions_decide(
            organization=org_a,
            session_pks=[crashed.pk, late.pk, bystander.pk],
            now=later,
        )
    late.refresh_from_db()
    crashed.refresh_from_db()
    assert crashed.sampling_state == "kept" and crashed.retention_class == "ticket"
    assert late.sampling_state == "kept" and late.retention_class == "ticket"

    lifecycle.retention_run(organization=org_a, as_of=timezone.now() + timedelta(days=400))
    assert Session.objects.filter(pk=crashed.pk).exists()
    assert Session.objects.filter(pk=late.pk).exists()
    assert not Session.objects.filter(pk=bystander.pk).exists()
