"""The retention run through the services: expiry per class, ticket holds, telemetry that stays
with kept sessions, the dry run, plan bounds and the deletion log."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import DomainError
from apps.lifecycle import selectors, services
from apps.lifecycle.models import DeletionLog, SessionDeletion
from apps.replay.models import Batch, Session
from apps.tickets.services import ticket_close, ticket_create, ticket_link_session
from apps.traces.models import Span
from tests.lifecycle.recording import age, backend_span, page_events, record
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys

pytestmark = pytest.mark.django_db


def _run(org, *, days_later=0):
    return services.retention_run(
        organization=org, as_of=timezone.now() + timedelta(days=days_later)
    )


def _exists(session) -> bool:
    return Session.objects.filter(pk=session.pk).exists()


def test_a_normal_session_goes_after_14_days_and_one_with_errors_after_30(team_org):
    t = rrweb.T0
    normal = age(record(team_org), days=15)
    erred = age(
        record(team_org, batches=[page_events(t, rrweb.console_error(t + 5, "x"))]), days=15
    )
    recent = age(record(team_org), days=3)
    result = _run(team_org)
    assert result.sessions == 1 and not _exists(normal)
    assert _exists(erred) and _exists(recent)
    assert _run(team_org, days_later=10).sessions == 0  # errors: 25 days old, kept 30
    assert _run(team_org, days_later=16).sessions == 2  # errors at 31 days, recent at 19
    assert not _exists(erred) and not _exists(recent)
    assert not Batch.objects.filter(session_id=normal.pk).exists()


def test_blobs_go_before_rows_and_nothing_is_left_behind(team_org):
    keep = age(record(team_org), days=1)
    age(record(team_org), days=20)
    _run(team_org)
    assert set(stored_keys()) == set(Batch.objects.values_list("key", flat=True))
    assert Batch.objects.filter(session=keep).count() == 2
    assert not SessionDeletion.objects.exists()


def test_a_session_of_an_open_ticket_is_never_deleted_and_goes_31_days_after_it_closes(team_org):
    session = age(record(team_org), days=366)
    ticket = ticket_create(organization=team_org, source="zendesk", external_id="T-1")
    ticket_link_session(organization=team_org, ticket=ticket, session=session)
    assert _run(team_org).sessions == 0 and _exists(session)  # a year later
    ticket_close(organization=team_org, ticket=ticket)
    assert _run(team_org, days_later=29).sessions == 0 and _exists(session)
    assert _run(team_org, days_later=31).sessions == 1 and not _exists(session)


def test_the_dry_run_lists_what_would_go_and_why_and_deletes_nothing(team_org):
    old = age(record(team_org, user_id="u-7"), days=20)
    age(record(team_org), days=1)
    preview = selectors.retention_preview(organization=team_org)
    assert preview["session_count"] == 1
    row = preview["sessions"][0]
    assert row["session_id"] == old.session_id and row["user_id"] == "u-7"
    assert row["reason"] == "normal session, kept 14 days"
    assert _exists(old) and not DeletionLog.objects.exists()


def test_old_spans_go_unless_their_session_is_kept(team_org):
    kept = age(record(team_org), days=1)  # with a backend error: kept 30 days
    backend_span(team_org, kept.session_id)
    backend_span(team_org, "no-such-session-1")
    assert _run(team_org, days_later=15).spans == 1
    assert list(Span.objects.values_list("session_id", flat=True)) == [kept.session_id]
    assert DeletionLog.objects.get(kind="telemetry").spans == 1


def test_deletions_are_logged_per_organization(team_org, org_b):
    old = age(record(team_org), days=20)
    age(record(org_b), days=20)
    _run(team_org)
    log = selectors.deletion_log(organization=team_org).get()
    assert log.sessions == 1 and log.blobs == 2 and log.session_ids == [old.session_id]
    assert "normal session, kept 14 days" in log.reason
    assert not selectors.deletion_log(organization=org_b).exists()
    assert Session.objects.filter(organization=org_b).count() == 1


def test_the_policy_is_bounded_by_the_plan(team_org):
    with pytest.raises(DomainError):
        services.retention_policy_update(organization=team_org, normal_days=60)
    services.retention_policy_update(organization=team_org, normal_days=7, error_days=90)
    effective = selectors.effective_policy(organization=team_org)
    assert (effective.normal_days, effective.error_days) == (7, 90)


def test_a_second_run_while_one_holds_the_lock_does_nothing(team_org):
    import psycopg
    from django.db import connection

    from apps.lifecycle.locks import _key

    age(record(team_org), days=20)
    other = psycopg.connect(**connection.get_connection_params())  # another worker
    other.execute("SELECT pg_advisory_lock(%s, %s)", [_key("retention"), team_org.pk])
    assert _run(team_org).locked_out
    other.close()  # the lock dies with its connection (a killed worker leaves none)
    # The server ends the closed connection's backend asynchronously; wait for its lock to go.
    deadline = time.monotonic() + 10
    result = _run(team_org)
    while result.locked_out and time.monotonic() < deadline:
        time.sleep(0.05)
        result = _run(team_org)
    assert result.sessions == 1


def test_a_crash_between_blobs_and_rows_is_finished_by_the_next_run(team_org, monkeypatch):
    from apps.lifecycle.retention import run as run_module
    from apps.replay.models import Segment

    old = [age(record(team_org), days=20) for _ in range(3)]
    keep = age(record(team_org), days=1)

    def crash(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(run_module.DeletionLog.objects, "create", crash)
    with pytest.raises(RuntimeError):
        _run(team_org)
    monkeypatch.undo()
    # Blobs are gone, rows are still there, and the markers say they are going.
    assert not (
        set(Batch.objects.filter(session__in=old).values_list("key", flat=True))
        & set(stored_keys())
    )
    assert set(SessionDeletion.objects.values_list("session_pk", flat=True)) == {s.pk for s in old}
    result = _run(team_org)
    assert result.resumed == 3 and result.sessions == 3
    assert not SessionDeletion.objects.exists() and _exists(keep)
    referenced = set(Batch.objects.values_list("key", flat=True)) | set(
        Segment.objects.values_list("key", flat=True)
    )
    assert set(stored_keys()) == referenced


def test_the_orphan_sweep_removes_old_unreferenced_blobs_only(team_org):
    from datetime import timedelta

    from apps.replay.storage import blobs

    session = record(team_org)
    prefix = f"orgs/{team_org.pk}/sessions/{session.session_id}"
    blobs.put(f"{prefix}/batches/0000000009.deadbeef.jsonl.zst", blobs.compress(b"x"))
    blobs.put(f"orgs/{team_org.pk}/sessions/gone-session-1/batches/1.jsonl.zst", b"y")
    fresh = services.orphans_sweep(organization=team_org)
    assert fresh.deleted == 0 and fresh.scanned == 4  # younger than an hour: maybe in flight
    later = timezone.now() + timedelta(hours=2)
    result = services.orphans_sweep(organization=team_org, now=later)
    assert result.deleted == 2
    assert set(stored_keys()) == set(Batch.objects.values_list("key", flat=True))
    assert DeletionLog.objects.get(kind="orphans").blobs == 2
