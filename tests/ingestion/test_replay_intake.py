"""The recorder's intake stores each acknowledged batch once, durably, in the organization's
blob prefix, and answers in the protocol's shape."""

import pytest
import zstandard

from apps.replay.models import Batch, Session
from apps.replay.selectors import session_events
from apps.replay.storage import blobs
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys

pytestmark = pytest.mark.django_db


def _events(t=rrweb.T0):
    return [*rrweb.page_load(t), rrweb.mouse_move(t + 100), rrweb.click(t + 200)]


def test_a_gzip_batch_is_acknowledged_and_stored_under_the_organization_prefix(org_a, post_batch):
    sid = rrweb.new_session_id()
    response = post_batch(org_a, rrweb.envelope(sid, 0, _events()))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "session_id": sid, "seq": 0, "duplicate": False}
    batch = Batch.objects.get(organization=org_a, session__session_id=sid, seq=0)
    assert batch.key.startswith(f"orgs/{org_a.pk}/sessions/{sid}/batches/0000000000.")
    assert batch.key.endswith(".jsonl.zst")
    assert stored_keys() == [batch.key]
    with open(blobs.storage().path(batch.key), "rb") as handle:
        raw = zstandard.ZstdDecompressor().decompress(handle.read())
    assert raw.startswith(b'{"seq":0,"count":5}\n')


def test_the_events_read_back_are_the_events_sent_in_order(org_a, post_batch):
    sid = rrweb.new_session_id()
    first, second = _events(), [rrweb.mutation(rrweb.T0 + 900), rrweb.click(rrweb.T0 + 950)]
    post_batch(org_a, rrweb.envelope(sid, 0, first))
    post_batch(org_a, rrweb.envelope(sid, 1, second))

    session = Session.objects.get(organization=org_a, session_id=sid)
    assert list(session_events(organization=org_a, session=session)) == first + second


def test_gzip_is_recognised_by_its_magic_bytes_without_a_content_encoding(org_a, post_batch):
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events()), gzip=True)
    assert response.status_code == 200


def test_content_encoding_gzip_is_honoured(org_a, post_batch):
    response = post_batch(
        org_a,
        rrweb.envelope(rrweb.new_session_id(), 0, _events()),
        headers={"Content-Encoding": "gzip"},
    )
    assert response.status_code == 200


def test_a_plain_json_batch_is_accepted(org_a, post_batch):
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events()), gzip=False)
    assert response.status_code == 200
    assert Batch.objects.filter(organization=org_a).count() == 1


def test_a_send_beacon_batch_in_text_plain_is_accepted(org_a, post_batch):
    sid = rrweb.new_session_id()
    response = post_batch(
        org_a,
        rrweb.envelope(sid, 3, _events(), ended=True),
        gzip=False,
        content_type="text/plain;charset=UTF-8",
    )
    assert response.status_code == 200
    assert Session.objects.get(organization=org_a, session_id=sid).ended_at is not None


def test_a_retried_batch_is_stored_once_and_acknowledged_as_a_duplicate(org_a, post_batch):
    sid = rrweb.new_session_id()
    payload = rrweb.envelope(sid, 0, _events())
    assert post_batch(org_a, payload).json()["duplicate"] is False
    again = post_batch(org_a, payload)
    as_beacon = post_batch(org_a, payload, gzip=False, content_type="text/plain")

    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert as_beacon.status_code == 200 and as_beacon.json()["duplicate"] is True
    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.batch_count == 1
    assert session.event_count == 5
    assert Batch.objects.filter(session=session).count() == 1
    assert len(stored_keys()) == 1
    assert len(list(session_events(organization=org_a, session=session))) == 5


def test_a_retry_racing_the_original_is_stored_once(transactional_db, org_a):
    """Two copies of one batch stored at the same moment: one is stored, one is a duplicate."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from apps.replay.services import IncomingBatch, batch_store

    sid = rrweb.new_session_id()

    def store(_):
        try:
            incoming = IncomingBatch(session_id=sid, seq=0, events=_events())
            return batch_store(organization=org_a, incoming=incoming)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(store, range(4)))

    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert Batch.objects.filter(organization=org_a).count() == 1
    assert len(stored_keys()) == 1  # the copies' blobs were removed again


def test_the_same_session_id_in_two_organizations_is_two_sessions(org_a, org_b, post_batch):
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, _events()))
    response = post_batch(org_b, rrweb.envelope(sid, 0, _events()))

    assert response.json()["duplicate"] is False
    assert Session.objects.filter(session_id=sid).count() == 2
    prefixes = {key.split("/sessions/")[0] for key in stored_keys()}
    assert prefixes == {f"orgs/{org_a.pk}", f"orgs/{org_b.pk}"}


def test_the_quota_hook_is_asked_once_per_batch_and_told_whether_the_session_is_new(
    org_a, post_batch, monkeypatch
):
    from apps.billing import quota

    calls = []
    monkeypatch.setattr(
        quota, "admit_replay_batch", lambda **kw: calls.append(kw["session_is_new"])
    )
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, _events()))
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 5000)]))
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 5000)]))  # a duplicate

    assert calls == [True, False]  # a retry is acknowledged without asking (or billing) again


def test_an_organization_over_quota_gets_a_final_429_and_nothing_is_stored(
    org_a, post_batch, monkeypatch
):
    from apps.billing import quota

    def refuse(**kwargs):
        raise quota.QuotaExceeded("Your plan's 1,000 sessions this month are used up.", None)

    monkeypatch.setattr(quota, "admit_replay_batch", refuse)
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events()))

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "quota_exceeded"
    assert "1,000 sessions" in response.json()["error"]["message"]
    assert Session.objects.count() == 0 and stored_keys() == []


def test_usage_is_metered_as_sessions_started_and_bytes_stored(org_a, post_batch, monkeypatch):
    from apps.billing import metering

    recorded = []
    monkeypatch.setattr(metering, "record", lambda **kw: recorded.append(kw))
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, _events()))
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 5000)]))
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 5000)]))

    session = Session.objects.get(organization=org_a, session_id=sid)
    started = [r for r in recorded if r["metric"] == "replay_sessions_started"]
    stored = [r for r in recorded if r["metric"] == "replay_bytes_stored"]
    assert started == [
        {"organization_id": org_a.pk, "metric": "replay_sessions_started", "amount": 1}
    ]
    assert sum(r["amount"] for r in stored) == session.bytes_stored > 0
    assert len(stored) == 2


def test_the_ended_batch_queues_the_session_compaction(org_a, post_batch, monkeypatch):
    from apps.replay import tasks

    queued = []
    monkeypatch.setattr(
        tasks.compact_session, "apply_async", lambda args, **kw: queued.append(args)
    )
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, _events()))
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 5000)], ended=True))

    session = Session.objects.get(organization=org_a, session_id=sid)
    assert queued == [(org_a.pk, session.pk)]


def test_a_broker_outage_does_not_turn_a_stored_batch_into_an_error(org_a, post_batch, monkeypatch):
    from apps.replay import tasks

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.compact_session, "apply_async", broken)
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events(), ended=True))
    assert response.status_code == 200


def test_a_storage_outage_is_a_retryable_503_and_no_row_points_at_a_missing_blob(
    org_a, post_batch, monkeypatch
):
    from apps.replay.storage import blobs as blob_module

    def failing_put(key, blob):
        raise OSError("disk unavailable")

    monkeypatch.setattr(blob_module, "put", failing_put)
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events()))

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert int(response["Retry-After"]) > 0
    assert Batch.objects.count() == 0 and Session.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_rows_commit_only_after_the_blob_is_durable_though_it_is_written_alongside(
    org_a, post_batch, monkeypatch
):
    # The blob is written on a writer thread while the request reads the session row; when its
    # fsync returns, another connection must still see no batch row (nothing committed yet).
    import psycopg
    from django.db import connection

    from apps.replay.storage import blobs as blob_module

    real_put = blob_module.put
    seen_at_durable = []

    def put_then_look(key, blob):
        name = real_put(key, blob)
        params = connection.get_connection_params()
        with psycopg.connect(**params, autocommit=True) as other:
            seen_at_durable.append(
                other.execute("SELECT count(*) FROM replay_batch WHERE key = %s", [key]).fetchone()[
                    0
                ]
            )
        return name

    monkeypatch.setattr(blob_module, "put", put_then_look)
    sid = rrweb.new_session_id()
    response = post_batch(org_a, rrweb.envelope(sid, 0, _events()))

    assert response.status_code == 200
    assert seen_at_durable == [0]
    assert Batch.objects.filter(organization=org_a, session__session_id=sid).count() == 1
