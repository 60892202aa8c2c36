"""Seeking from the nearest full snapshot: a long single-page session has periodic checkouts
(Meta + FullSnapshot every few minutes); ``/events?start=X&snapshot=true`` begins at the last
one before X, found from the index, and reads only the blobs from there on, each once."""

import orjson
import pytest

from apps.replay import selectors
from apps.replay.services import session_compact
from apps.replay.storage import blobs
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db
MINUTE = 60_000


def checkout(ts):
    """What rrweb emits on a checkout (checkoutEveryNms): Meta, then FullSnapshot."""
    return [rrweb.meta(ts), rrweb.full_snapshot(ts + 1)]


def long_session_batches():
    """Twelve minutes of one page: load at 0, checkouts at 5:00 and 10:00, a move every 30 s;
    one batch per 30 s as the recorder flushes (the checkout at 10:00 sits mid-batch)."""
    events = [*rrweb.page_load(T0)]
    events += checkout(T0 + 5 * MINUTE)
    events += checkout(T0 + 10 * MINUTE + 10_000)
    events += [rrweb.mouse_move(T0 + s * 1000 + 500) for s in range(0, 12 * 60, 30)]
    events.sort(key=lambda e: e["timestamp"])
    batches, current, edge = [], [], T0 + 30_000
    for event in events:
        while event["timestamp"] >= edge:
            batches.append(current)
            current, edge = [], edge + 30_000
        current.append(event)
    batches.append(current)
    return [b for b in batches if b]


@pytest.fixture
def long_session(org_a, post_batch):
    sid = rrweb.new_session_id()
    for seq, events in enumerate(long_session_batches()):
        assert post_batch(org_a, rrweb.envelope(sid, seq, events)).status_code == 200
    return selectors.session_get(organization=org_a, session_id=sid)


@pytest.fixture
def blob_reads(monkeypatch):
    reads = []
    original = blobs.get

    def counting_get(key):
        reads.append(key)
        return original(key)

    monkeypatch.setattr(blobs, "get", counting_get)
    return reads


def window(client, session, **query):
    response = client.get(f"/api/v1/sessions/{session.session_id}/events", query)
    assert response.status_code == 200, response.content
    return orjson.loads(b"".join(response.streaming_content))


def test_the_index_lists_where_the_full_snapshots_are(org_a, long_session):
    offsets = selectors.session_snapshot_offsets(organization=org_a, session=long_session)

    # First events of their batches, at most one flush before each snapshot (0:00, 5:00, 10:10).
    assert offsets == [0, 5 * MINUTE, 10 * MINUTE + 500]


def test_a_late_start_begins_at_the_last_checkout_not_the_page_load(owner_client, long_session):
    events = window(owner_client, long_session, start=11 * MINUTE, snapshot="true")

    assert [e["type"] for e in events[:2]] == [4, 2]
    assert events[0]["timestamp"] == T0 + 10 * MINUTE + 10_000
    assert all(e["timestamp"] >= T0 + 10 * MINUTE + 10_000 for e in events)
    assert sum(e["type"] == 2 for e in events) == 1


def test_a_start_before_a_mid_batch_checkout_uses_the_one_before(owner_client, long_session):
    # 10:05 is in the batch of the 10:10 checkout, but before it: the 5:00 one shows 10:05.
    events = window(owner_client, long_session, start=10 * MINUTE + 5000, snapshot="true")

    assert events[0]["timestamp"] == T0 + 5 * MINUTE and events[0]["type"] == 4
    assert [e["type"] for e in events].count(2) == 2  # the 5:00 snapshot, then 10:10


def test_a_window_from_a_checkout_leaves_out_the_event_that_triggered_it(
    org_a, owner_client, post_batch
):
    # rrweb checks out right after the event that crossed the interval, often in the same ms.
    sid = rrweb.new_session_id()
    late = T0 + 6 * MINUTE
    batches = [
        rrweb.page_load(T0),
        [rrweb.mutation(late, "Before"), *checkout(late), rrweb.click(late + 500)],
    ]
    for seq, events in enumerate(batches):
        assert post_batch(org_a, rrweb.envelope(sid, seq, events)).status_code == 200
    session = selectors.session_get(organization=org_a, session_id=sid)

    events = window(owner_client, session, start=6 * MINUTE + 100, snapshot="true")

    assert [e["type"] for e in events] == [4, 2, 3]
    assert events[0]["timestamp"] == late


def test_a_snapshot_seek_reads_only_the_blobs_from_the_snapshot_on_each_once(
    owner_client, long_session, blob_reads
):
    window(owner_client, long_session, start=11 * MINUTE, end=12 * MINUTE, snapshot="true")

    # Batches 20 (10:00–10:30, with the checkout) to 23: four blobs, not the 24 of the session.
    assert len(blob_reads) == 4
    assert len(set(blob_reads)) == 4


def test_a_snapshot_seek_works_the_same_after_compaction(
    org_a, owner_client, long_session, blob_reads
):
    before = window(owner_client, long_session, start=11 * MINUTE, snapshot="true")
    session_compact(organization=org_a, session=long_session)
    blob_reads.clear()

    after = window(owner_client, long_session, start=11 * MINUTE, snapshot="true")

    assert after == before
    assert len(blob_reads) == len(set(blob_reads))  # the segment is downloaded once
