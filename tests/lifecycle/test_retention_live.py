"""Retention with a live worker on Redis and S3 (moto): a session of an open ticket survives a
run a year later and goes 31 days after the ticket closes; a worker SIGKILLed mid-run and run
again leaves storage and index consistent."""

import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.lifecycle.models import DeletionLog, SessionDeletion
from apps.lifecycle.tasks import orphan_sweep, retention_run
from apps.replay.models import Batch, Segment, Session
from apps.replay.selectors import session_events
from apps.replay.services import session_compact
from tests.lifecycle.conftest import put_on_plan
from tests.lifecycle.live import assert_storage_matches_index, readable_keys, wait_for
from tests.lifecycle.recording import age, record
from tests.replay.fixtures import stored_keys
from tests.support.live import live_env, start_worker

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _exists(session) -> bool:
    return Session.objects.filter(pk=session.pk).exists()


def _run_at(organization, when, control):
    """Queue a run as of ``when`` and wait until the control session (expired) is gone."""
    retention_run.delay(organization.pk, when.isoformat())
    wait_for(lambda: not _exists(control), what="the retention run")


def test_a_session_of_an_open_ticket_survives_a_year_and_goes_31_days_after_closing(
    s3_worker, org_a
):
    from apps.tickets.services import ticket_close, ticket_create, ticket_link_session

    put_on_plan(org_a, "team")
    held = age(record(org_a), days=366)
    ticket = ticket_create(organization=org_a, source="zendesk", external_id="88")
    ticket_link_session(organization=org_a, ticket=ticket, session=held)

    _run_at(org_a, timezone.now(), age(record(org_a), days=20))  # a year after the session
    assert _exists(held) and Batch.objects.filter(session=held).count() == 2

    ticket_close(organization=org_a, ticket=ticket)
    _run_at(org_a, timezone.now() + timedelta(days=29), age(record(org_a), days=20))
    assert _exists(held)

    retention_run.delay(org_a.pk, (timezone.now() + timedelta(days=31)).isoformat())
    wait_for(lambda: not _exists(held), what="the ticket session's deletion")
    assert not any(f"/{held.session_id}/" in key for key in stored_keys())
    assert_storage_matches_index()
    log = DeletionLog.objects.filter(organization=org_a, session_ids__contains=[held.session_id])
    assert "ticket closed, kept 30 days after closing" in log.get().reason


def _invariant_after_a_kill():
    """A row may point at a deleted blob only if its session is marked for deletion."""
    stored = set(stored_keys())
    marked = set(SessionDeletion.objects.values_list("session_pk", flat=True))
    for model, rows in (
        (Segment, Segment.objects.all()),
        (Batch, Batch.objects.filter(segment__isnull=True)),
    ):
        for session_pk, key in rows.values_list("session_id", "key"):
            assert key in stored or session_pk in marked, f"{model.__name__} {key} dangles"


def test_sigkill_during_a_retention_run_then_running_again_leaves_everything_consistent(
    s3_storage, org_a, settings, tmp_path
):
    from qorrelate.celery import app

    expired = [age(record(org_a), days=20) for _ in range(120)]
    fresh = [age(record(org_a), days=1) for _ in range(6)]
    for session in expired[::3] + fresh[:3]:  # some sessions as segments, some as batches
        session_compact(organization=org_a, session=session)
    app.control.purge()
    env = live_env(settings, tmp_path)

    for round_, progress in enumerate((2, 6)):
        worker = start_worker(env, tmp_path / f"worker-{round_}.log")
        retention_run.delay(org_a.pk, None, 5, 40)  # chunks of 5 sessions, 40 ms apart
        try:
            wait_for(
                lambda p=progress: DeletionLog.objects.filter(kind="sessions").count() >= p,
                what="some progress",
                interval=0.01,
            )
        finally:
            worker.stop(signal.SIGKILL)
        _invariant_after_a_kill()
        assert Session.objects.filter(pk__in=[s.pk for s in expired]).exists()  # mid-run

    worker = start_worker(env, tmp_path / "worker-last.log")
    try:
        retention_run.delay(org_a.pk)
        wait_for(
            lambda: not Session.objects.filter(pk__in=[s.pk for s in expired]).exists(),
            what="the rerun",
        )
        orphan_sweep.delay(org_a.pk, 0)
        wait_for(lambda: set(stored_keys()) <= readable_keys(), what="the orphan sweep")
    finally:
        worker.stop()

    assert not SessionDeletion.objects.exists()
    assert_storage_matches_index()
    assert (
        sum(DeletionLog.objects.filter(kind="sessions").values_list("sessions", flat=True)) == 120
    )
    for session in fresh:  # untouched and still playable
        assert list(session_events(organization=org_a, session=session))
