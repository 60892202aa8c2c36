"""Compaction merges a session's batches into segments; playback reads segments and loose
batches seamlessly, in order and without duplicates, before, during and after it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.replay import tasks
from apps.replay.models import Batch, Segment, Session
from apps.replay.selectors import session_event_chunks, session_events
from apps.replay.services import (
    IncomingBatch,
    batch_store,
    session_compact,
    sessions_close_idle,
    sessions_due_for_compaction,
)
from apps.replay.services import compaction as compaction_module
from apps.replay.storage import blobs
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db


def _batch_events(seq):
    t = T0 + seq * 5000
    events = rrweb.page_load(t) if seq == 0 else []
    return [*events, rrweb.mouse_move(t + 10), rrweb.click(t + 20, x=seq), rrweb.mutation(t + 30)]


def _store(organization, sid, seqs, ended=False):
    for seq in seqs:
        batch_store(
            organization=organization,
            incoming=IncomingBatch(session_id=sid, seq=seq, events=_batch_events(seq), ended=ended),
        )
    return Session.objects.get(organization=organization, session_id=sid)


def _expected(seqs):
    return [event for seq in sorted(seqs) for event in _batch_events(seq)]


def _played(organization, session, **window):
    return list(session_events(organization=organization, session=session, **window))


def test_compaction_merges_batches_into_one_segment_and_deletes_their_blobs(org_a):
    session = _store(org_a, rrweb.new_session_id(), range(5))
    before = _played(org_a, session)

    segments = session_compact(organization=org_a, session=session)

    assert len(segments) == 1
    segment = segments[0]
    assert (segment.first_seq, segment.last_seq, segment.batch_count) == (0, 4, 5)
    assert segment.key.startswith(f"orgs/{org_a.pk}/sessions/{session.session_id}/segments/")
    assert "/0000000000-0000000004." in segment.key
    assert stored_keys() == [segment.key]
    assert set(Batch.objects.filter(session=session).values_list("segment", flat=True)) == {
        segment.pk
    }
    assert _played(org_a, session) == before == _expected(range(5))


def test_compaction_is_idempotent(org_a):
    session = _store(org_a, rrweb.new_session_id(), range(3))
    session_compact(organization=org_a, session=session)
    assert session_compact(organization=org_a, session=session) == []
    assert Segment.objects.filter(session=session).count() == 1
    assert _played(org_a, session) == _expected(range(3))


def test_batches_arriving_after_compaction_play_after_the_segment(org_a):
    sid = rrweb.new_session_id()
    session = _store(org_a, sid, [0, 1, 2, 4])  # seq 3 is late
    session_compact(organization=org_a, session=session)
    session = _store(org_a, sid, [3, 5])

    assert _played(org_a, session) == _expected(range(6))
    session_compact(organization=org_a, session=session)
    assert Segment.objects.filter(session=session).count() == 2
    assert _played(org_a, session) == _expected(range(6))


def test_a_retry_of_a_compacted_batch_is_still_a_duplicate(org_a):
    sid = rrweb.new_session_id()
    session = _store(org_a, sid, range(3))
    session_compact(organization=org_a, session=session)
    again = batch_store(
        organization=org_a, incoming=IncomingBatch(session_id=sid, seq=1, events=_batch_events(1))
    )
    assert again.duplicate
    assert len(stored_keys()) == 1
    assert _played(org_a, session) == _expected(range(3))


def test_a_crash_after_the_segment_blob_is_written_loses_nothing(org_a, monkeypatch):
    session = _store(org_a, rrweb.new_session_id(), range(4))

    def crash(*args, **kwargs):
        raise SystemExit("worker killed before the segment row was committed")

    monkeypatch.setattr(compaction_module.Segment.objects, "create", crash)
    with pytest.raises(SystemExit):
        session_compact(organization=org_a, session=session)
    monkeypatch.undo()

    assert not Segment.objects.exists()
    assert _played(org_a, session) == _expected(range(4))
    session_compact(organization=org_a, session=session)  # the retry after the restart
    assert _played(org_a, session) == _expected(range(4))
    assert Segment.objects.filter(session=session).count() == 1


def test_a_crash_before_the_batch_blobs_are_deleted_leaves_playback_exact(org_a, monkeypatch):
    session = _store(org_a, rrweb.new_session_id(), range(4))
    monkeypatch.setattr(compaction_module.blobs, "delete", lambda key: None)
    session_compact(organization=org_a, session=session)

    assert len(stored_keys()) == 5  # four orphaned batch blobs and the segment
    assert _played(org_a, session) == _expected(range(4))  # read once, from the segment


def test_a_reader_that_listed_batches_before_a_compaction_reads_each_once(org_a):
    session = _store(org_a, rrweb.new_session_id(), range(6))
    chunks = session_event_chunks(organization=org_a, session=session)
    first = next(chunks)  # batch rows listed, batch 0 read from its own blob

    session_compact(organization=org_a, session=session)  # batch blobs are gone now
    rest = list(chunks)

    import orjson

    played = [orjson.loads(e) for chunk in [first, *rest] for e in chunk]
    assert played == _expected(range(6))


def test_two_compactions_racing_on_one_session_produce_one_segment(org_a, monkeypatch):
    session = _store(org_a, rrweb.new_session_id(), range(4))
    real_put = blobs.put
    raced = []

    def put_then_race(key, blob):
        name = real_put(key, blob)
        if "/segments/" in key and not raced:
            raced.append(key)
            session_compact(organization=org_a, session=session)  # the other worker wins
        return name

    monkeypatch.setattr(compaction_module.blobs, "put", put_then_race)
    segments = session_compact(organization=org_a, session=session)

    assert segments == []  # the loser
    assert Segment.objects.filter(session=session).count() == 1
    assert raced[0] not in stored_keys()  # the loser removed only its own blob
    assert len(stored_keys()) == 1
    assert _played(org_a, session) == _expected(range(4))


def test_large_sessions_are_split_into_several_segments(org_a, monkeypatch):
    monkeypatch.setattr(compaction_module, "SEGMENT_MAX_BATCHES", 3)
    session = _store(org_a, rrweb.new_session_id(), range(8))
    segments = session_compact(organization=org_a, session=session)
    assert [(s.first_seq, s.last_seq) for s in segments] == [(0, 2), (3, 5), (6, 7)]
    assert _played(org_a, session) == _expected(range(8))


def test_a_single_loose_batch_is_left_as_it_is(org_a):
    session = _store(org_a, rrweb.new_session_id(), [0])
    assert session_compact(organization=org_a, session=session) == []
    assert _played(org_a, session) == _expected([0])


def test_a_time_window_returns_only_its_events_from_segments_and_batches(org_a):
    sid = rrweb.new_session_id()
    session = _store(org_a, sid, range(4))
    session_compact(organization=org_a, session=session)
    session = _store(org_a, sid, [4, 5])

    window = _played(org_a, session, start_ms=5000 + 20, end_ms=4 * 5000 + 30)
    expected = [e for e in _expected(range(6)) if T0 + 5020 <= e["timestamp"] < T0 + 20030]
    assert window == expected
    assert window[0]["timestamp"] == T0 + 5020 and window[-1]["timestamp"] == T0 + 20020
    assert _played(org_a, session, start_ms=10**9) == []


def test_the_compaction_task_rescopes_by_organization(org_a, org_b):
    session = _store(org_a, rrweb.new_session_id(), range(3))
    assert tasks.compact_session(org_b.pk, session.pk) == 0  # not org B's session
    assert not Segment.objects.exists()
    assert tasks.compact_session(org_a.pk, session.pk) == 1


def test_the_sweep_picks_ended_idle_and_busy_sessions_but_not_fresh_ones(org_a):
    ended = _store(org_a, rrweb.new_session_id(), range(3), ended=True)
    fresh = _store(org_a, rrweb.new_session_id(), range(3))
    idle = _store(org_a, rrweb.new_session_id(), range(3))
    busy = _store(org_a, rrweb.new_session_id(), range(8))
    single = _store(org_a, rrweb.new_session_id(), [0], ended=True)
    old = timezone.now() - timedelta(minutes=10)
    Session.objects.filter(pk=idle.pk).update(updated_at=old)
    Batch.objects.filter(session__in=[idle, busy]).update(received_at=old)
    Session.objects.filter(pk=busy.pk).update(updated_at=timezone.now())

    due = {pk for _org, pk in sessions_due_for_compaction()}
    assert due == {ended.pk, idle.pk, busy.pk}
    assert fresh.pk not in due and single.pk not in due


def test_sessions_quiet_for_30_minutes_are_closed_at_their_last_event(org_a):
    quiet = _store(org_a, rrweb.new_session_id(), range(2))
    open_ = _store(org_a, rrweb.new_session_id(), range(2))
    Session.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - timedelta(minutes=31))

    assert sessions_close_idle() == 1
    quiet.refresh_from_db()
    open_.refresh_from_db()
    assert quiet.ended_at == quiet.last_seen_at
    assert open_.ended_at is None


def test_the_periodic_task_is_in_the_beat_schedule():
    from qorrelate.celery import collect_beat_schedule

    schedule = collect_beat_schedule()
    entry = schedule["replay-compact-due-sessions"]
    assert entry["task"] == "apps.replay.tasks.compact_due_sessions"
    assert entry["schedule"] <= 300


def _rewrite_under_new_key(organization, batch):
    """What a redaction does: the same content under a new key, the old blob deleted."""
    new_key = batch.key.replace(".jsonl.zst", ".rdeadbeef.jsonl.zst")
    blobs.put(new_key, blobs.compress(blobs.get(batch.key)))
    Batch.objects.filter(pk=batch.pk).update(key=new_key)
    blobs.delete(batch.key)


def test_a_reader_follows_a_batch_rewritten_under_a_new_key_while_it_reads(org_a):
    session = _store(org_a, rrweb.new_session_id(), range(3))
    chunks = session_event_chunks(organization=org_a, session=session)
    first = next(chunks)
    _rewrite_under_new_key(org_a, Batch.objects.get(session=session, seq=2))
    rest = list(chunks)

    import orjson

    assert [orjson.loads(e) for c in [first, *rest] for e in c] == _expected(range(3))


def test_a_compaction_that_read_a_batch_before_it_was_rewritten_does_not_commit(org_a, monkeypatch):
    session = _store(org_a, rrweb.new_session_id(), range(3))
    real_put = blobs.put

    def put_then_rewrite(key, blob):
        name = real_put(key, blob)
        if "/segments/" in key:
            _rewrite_under_new_key(org_a, Batch.objects.get(session=session, seq=1))
        return name

    monkeypatch.setattr(compaction_module.blobs, "put", put_then_rewrite)
    assert session_compact(organization=org_a, session=session) == []
    monkeypatch.undo()

    assert not Segment.objects.exists()
    assert _played(org_a, session) == _expected(range(3))
    assert len(session_compact(organization=org_a, session=session)) == 1  # the next run
    assert _played(org_a, session) == _expected(range(3))
