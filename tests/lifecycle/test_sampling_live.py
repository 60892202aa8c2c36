"""Sampling with a live worker on Redis and S3 (moto): errors keep, a 0 % rate drops, the
dropped session's blobs leave S3 and its tombstone stays in the API; a late ticket link
rescues a dropped session while its blobs still exist."""

import pytest

from apps.lifecycle import services
from apps.lifecycle.models import SessionDecision
from apps.lifecycle.tasks import sampling_sweep
from apps.replay.models import Session
from apps.replay.selectors import session_events
from tests.lifecycle.live import wait_for
from tests.lifecycle.recording import age, backend_span, page_events, record
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _prefix(session) -> str:
    return f"orgs/{session.organization_id}/sessions/{session.session_id}/"


def _keys_of(session) -> list[str]:
    return [k for k in stored_keys() if k.startswith(_prefix(session))]


def _decided(*sessions):
    return lambda: (
        not Session.objects.filter(
            pk__in=[s.pk for s in sessions], sampling_state="pending"
        ).exists()
    )


def test_errors_keep_sessions_and_a_zero_rate_drops_the_rest_from_s3(
    s3_worker, org_a, owner_client
):
    services.sampling_policy_update(organization=org_a, normal_rate=0, drop_grace_minutes=0)
    t = rrweb.T0
    uncaught = age(
        record(org_a, batches=[page_events(t, rrweb.uncaught_error(t + 9, "boom"))]), minutes=35
    )
    backend = age(record(org_a), minutes=35)
    backend_span(org_a, backend.session_id, http_status=500)
    normal = age(record(org_a, user_id="jane"), minutes=35)
    assert len(_keys_of(normal)) == 2

    sampling_sweep.delay()  # what beat does every minute
    wait_for(_decided(uncaught, backend, normal), what="the decisions")
    sampling_sweep.delay()  # the grace period (0 min) is over: the purge is queued
    wait_for(
        lambda: SessionDecision.objects.filter(session=normal, purged_at__isnull=False).exists(),
        what="the purge",
    )

    states = dict(Session.objects.values_list("session_id", "sampling_state"))
    assert states[uncaught.session_id] == "kept" and states[backend.session_id] == "kept"
    assert states[normal.session_id] == "dropped"
    assert _keys_of(normal) == []  # gone from the bucket
    assert len(_keys_of(uncaught)) == 1 and len(_keys_of(backend)) == 2
    assert list(session_events(organization=org_a, session=backend))  # still plays

    decision = owner_client.get(f"/api/v1/sampling-decisions/{normal.session_id}").json()
    assert decision["state"] == "dropped" and decision["reason"] == "normal_rate"
    assert decision["replay_available"] is False and decision["purged_at"]
    tombstone = owner_client.get(f"/api/v1/sessions/{normal.session_id}").json()
    assert tombstone["sampling_state"] == "dropped" and tombstone["user_id"] == "jane"
    assert (
        owner_client.get(f"/api/v1/sampling-decisions/{backend.session_id}").json()["reason"]
        == "backend_error"
    )


def test_a_ticket_link_after_the_decision_rescues_the_replay(s3_worker, org_a):
    from apps.tickets.services import ticket_create, ticket_link_session

    services.sampling_policy_update(organization=org_a, normal_rate=0, drop_grace_minutes=60)
    session = age(record(org_a), minutes=35)
    sampling_sweep.delay()
    wait_for(_decided(session), what="the decision")
    assert SessionDecision.objects.get(session=session).state == "dropped"

    ticket = ticket_create(organization=org_a, source="zendesk", external_id="4711")
    ticket_link_session(organization=org_a, ticket=ticket, session=session)  # → the worker
    wait_for(
        lambda: SessionDecision.objects.filter(session=session, state="kept").exists(),
        what="the rescue",
    )
    decision = SessionDecision.objects.get(session=session)
    assert decision.reason == "ticket_late" and decision.purge_after is None
    assert len(_keys_of(session)) == 2
