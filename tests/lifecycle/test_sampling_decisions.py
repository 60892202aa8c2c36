"""Deciding finished sessions through the services (in-process): reasons, tombstones, purges,
idempotence, metering."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.lifecycle import services
from apps.lifecycle.models import (
    DeletionLog,
    ReasonCode,
    SessionDecision,
)
from apps.lifecycle.sampling.due import finished_pending_pks
from apps.replay.models import Batch, Segment, Session
from tests.lifecycle.recording import age, backend_span, page_events, record
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys

pytestmark = pytest.mark.django_db


def _decide(org, *sessions):
    return services.sessions_decide(organization=org, session_pks=[s.pk for s in sessions])


@pytest.fixture
def zero_rate(org_a):
    services.sampling_policy_update(organization=org_a, normal_rate=0)
    return org_a


def test_only_finished_sessions_are_due(org_a):
    fresh = record(org_a, ended=False)
    idle = age(record(org_a, ended=False), minutes=31)
    ended = age(record(org_a), minutes=3)
    due = finished_pending_pks(organization=org_a)
    assert idle.pk in due and ended.pk in due and fresh.pk not in due


def test_the_idle_time_is_the_organizations_setting(org_a):
    services.sampling_policy_update(organization=org_a, idle_minutes=90)
    idle = age(record(org_a, ended=False), minutes=31)
    Session.objects.filter(pk=idle.pk).update(ended_at=None)
    assert idle.pk not in finished_pending_pks(organization=org_a)


def test_an_uncaught_error_keeps_the_session_and_says_why(zero_rate):
    t = rrweb.T0
    session = age(
        record(zero_rate, batches=[page_events(t, rrweb.uncaught_error(t + 9, "x"))]), minutes=40
    )
    assert _decide(zero_rate, session).kept == 1
    session.refresh_from_db()
    assert session.sampling_state == "kept"
    assert session.sampling_reason == "kept: Frontend error (1 uncaught error)"
    assert session.retention_class == "error" and session.expires_at is not None


def test_a_backend_500_alone_keeps_the_session(zero_rate):
    session = age(record(zero_rate), minutes=40)
    backend_span(zero_rate, session.session_id, http_status=500)
    _decide(zero_rate, session)
    decision = SessionDecision.objects.get(session=session)
    assert decision.state == "kept" and decision.reason == ReasonCode.BACKEND_ERROR
    assert decision.has_backend_error


def test_a_4xx_span_or_another_sessions_error_does_not_count(zero_rate, org_b):
    session = age(record(zero_rate), minutes=40)
    backend_span(zero_rate, session.session_id, http_status=404)
    backend_span(org_b, session.session_id, http_status=500)  # same id, other tenant
    _decide(zero_rate, session)
    assert SessionDecision.objects.get(session=session).state == "dropped"


def test_a_dropped_session_becomes_a_tombstone_and_its_blobs_go_after_the_grace(zero_rate):
    session = age(record(zero_rate), minutes=40)
    keys_before = stored_keys()
    assert keys_before
    _decide(zero_rate, session)
    decision = SessionDecision.objects.get(session=session)
    assert decision.state == "dropped" and decision.reason == ReasonCode.NORMAL_RATE
    assert decision.purge_after > timezone.now() + timedelta(minutes=59)
    assert services.dropped_purge(organization=zero_rate).sessions == 0  # grace not over
    later = timezone.now() + timedelta(minutes=61)
    result = services.dropped_purge(organization=zero_rate, now=later)
    assert result.sessions == 1 and result.blobs == 2
    assert stored_keys() == []
    assert not Batch.objects.filter(session=session).exists()
    session.refresh_from_db()  # the tombstone stays
    assert session.sampling_state == "dropped" and "normal rate 0 %" in session.sampling_reason
    log = DeletionLog.objects.get(organization=zero_rate)
    assert log.kind == "sampling" and log.session_ids == [session.session_id]


def test_deciding_twice_changes_nothing_and_meters_once(
    org_a, monkeypatch, django_capture_on_commit_callbacks
):
    recorded = []
    monkeypatch.setattr(
        "apps.lifecycle.usage.record_kept", lambda **kw: recorded.append(kw["amount"])
    )
    session = age(record(org_a), minutes=40)
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(org_a, session).kept == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _decide(org_a, session).decided == 0
    assert SessionDecision.objects.filter(session=session).count() == 1
    assert recorded == [1]


def test_a_segment_rule_keeps_its_users_at_its_rate(zero_rate):
    services.rule_create(organization=zero_rate, name="VIPs", user_ids=["vip-1"], rate=100)
    vip = age(record(zero_rate, user_id="vip-1"), minutes=40)
    other = age(record(zero_rate, user_id="someone"), minutes=40)
    _decide(zero_rate, vip, other)
    assert SessionDecision.objects.get(session=vip).reason == ReasonCode.SEGMENT
    assert SessionDecision.objects.get(session=other).state == "dropped"


def test_a_custom_event_segment(zero_rate):
    services.rule_create(organization=zero_rate, name="Upgrades", event_name="upgrade")
    t = rrweb.T0
    event = rrweb.custom(t + 5, "qorrelate.event", {"name": "upgrade"})
    session = age(record(zero_rate, batches=[page_events(t, event)]), minutes=40)
    _decide(zero_rate, session)
    assert SessionDecision.objects.get(session=session).state == "kept"


def test_a_minimum_duration_drops_short_sessions(org_a):
    services.sampling_policy_update(organization=org_a, min_duration_ms=60_000)
    session = age(record(org_a), minutes=40)
    _decide(org_a, session)
    assert SessionDecision.objects.get(session=session).reason == ReasonCode.MIN_DURATION


def test_a_late_batch_of_a_purged_session_is_purged_again(zero_rate):
    session = age(record(zero_rate), minutes=40)
    _decide(zero_rate, session)
    later = timezone.now() + timedelta(hours=2)
    services.dropped_purge(organization=zero_rate, now=later)
    from apps.replay.services import IncomingBatch, batch_store

    late = IncomingBatch(session.session_id, seq=5, events=[rrweb.mouse_move(rrweb.T0 + 9)])
    batch_store(organization=zero_rate, incoming=late)
    assert Batch.objects.filter(session=session).exists()
    assert services.dropped_purge(organization=zero_rate, now=later).sessions == 1
    assert not Batch.objects.filter(session=session).exists() and stored_keys() == []
    assert not Segment.objects.filter(session=session).exists()


@pytest.fixture
def eager_celery():
    from qorrelate.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


def test_a_ticket_link_after_the_drop_rescues_the_session_while_its_blobs_exist(
    zero_rate, eager_celery, django_capture_on_commit_callbacks
):
    from apps.tickets.services import ticket_create, ticket_link_session

    session = age(record(zero_rate), minutes=40)
    _decide(zero_rate, session)
    ticket = ticket_create(organization=zero_rate, source="zendesk", external_id="T-9")
    with django_capture_on_commit_callbacks(execute=True):
        ticket_link_session(organization=zero_rate, ticket=ticket, session=session)
    decision = SessionDecision.objects.get(session=session)
    assert decision.state == "kept" and decision.reason == ReasonCode.TICKET_LATE
    session.refresh_from_db()
    assert session.sampling_state == "kept" and session.retention_class == "ticket"
    later = timezone.now() + timedelta(days=1)
    assert services.dropped_purge(organization=zero_rate, now=later).sessions == 0
    assert len(stored_keys()) == 2


def test_a_link_after_the_purge_only_notes_it(zero_rate, eager_celery):
    session = age(record(zero_rate), minutes=40)
    _decide(zero_rate, session)
    services.dropped_purge(organization=zero_rate, now=timezone.now() + timedelta(hours=2))
    assert services.session_rescue(organization=zero_rate, session_pk=session.pk) == "too_late"
    decision = SessionDecision.objects.get(session=session)
    assert decision.state == "dropped" and "after the replay was deleted" in decision.detail


def test_the_purge_rescues_a_linked_session_even_if_the_signal_was_missed(zero_rate):
    from apps.tickets.models import TicketSessionLink
    from apps.tickets.services import ticket_create

    session = age(record(zero_rate), minutes=40)
    _decide(zero_rate, session)
    ticket = ticket_create(organization=zero_rate, source="zendesk", external_id="T-10")
    TicketSessionLink.objects.create(organization=zero_rate, ticket=ticket, session=session)
    later = timezone.now() + timedelta(hours=2)
    result = services.dropped_purge(organization=zero_rate, now=later)
    assert result.rescued == 1 and result.sessions == 0 and len(stored_keys()) == 2


def test_a_session_with_an_invisible_error_is_kept_and_says_so(zero_rate):
    from apps.insights.services import session_detect
    from tests.insights import events as e

    t = rrweb.T0 + 1000
    toast = e.el(200, "div", [e.text(201, "Coupon code expired")])
    session = record(
        zero_rate,
        batches=[
            [
                *e.page(),
                e.click(t),
                e.add(t + 30, e.TOASTS, toast),
                e.remove(t + 2030, e.TOASTS, 200),
                e.idle(t + 9000),
            ]
        ],
    )
    session_detect(organization=zero_rate, session=session)
    _decide(zero_rate, age(session, minutes=5))
    decision = SessionDecision.objects.get(session=session)
    assert decision.state == "kept"
    assert decision.reason == ReasonCode.FINDING
    session.refresh_from_db()
    assert session.sampling_reason == "kept: Finding in the session (invisible error)"
