"""An acknowledged batch is never lost: SIGKILL the web server while batches stream in, and the
Celery worker while it compacts, restart both, and every batch that got a 2xx is readable, once,
in order."""

import gzip
import http.client
import signal
import threading
import time
from urllib.parse import urlsplit

import orjson
import pytest

from apps.replay.models import Batch, Segment, Session
from apps.replay.selectors import session_events
from apps.replay.services import IncomingBatch, batch_store
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys
from tests.support.live import live_env, start_server, start_worker

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _events(seq: int, size: int = 40) -> list[dict]:
    t = rrweb.T0 + seq * 1000
    head = rrweb.page_load(t) if seq == 0 else []
    moves = [rrweb.mouse_move(t + 10 + i, x=i, y=seq) for i in range(size)]
    return [*head, *moves, rrweb.click(t + 500), rrweb.mutation(t + 600, text=f"batch {seq}")]


class Recorder:
    """Like replay.js: one batch in flight per session, the same seq retried until a 2xx."""

    def __init__(self, organization, sessions: int):
        self.public_id = organization.public_id
        self.base_url = None
        self.next_seq = {rrweb.new_session_id(): 0 for _ in range(sessions)}
        self.acked: dict[tuple[str, int], list[dict]] = {}
        self.failures = 0
        self.duplicates = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def post(self, sid: str, seq: int) -> bool:
        url = urlsplit(self.base_url)
        body = gzip.compress(orjson.dumps(rrweb.envelope(sid, seq, _events(seq))))
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            connection.request(
                "POST",
                f"/ingest/v1/replay?org={self.public_id}",
                body=body,
                headers={"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            reply = response.read()
        except OSError:
            return False
        finally:
            connection.close()
        if response.status != 200:
            return False
        if orjson.loads(reply)["duplicate"]:
            self.duplicates += 1
        return True

    def run(self, sids: list[str]):
        while not self.stop.is_set():
            for sid in sids:
                seq = self.next_seq[sid]
                if self.post(sid, seq):
                    with self.lock:
                        self.acked[(sid, seq)] = _events(seq)
                    self.next_seq[sid] = seq + 1
                else:
                    with self.lock:
                        self.failures += 1
                    time.sleep(0.02)

    def wait_for_acks(self, count: int, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while len(self.acked) < count:
            assert time.monotonic() < deadline, f"only {len(self.acked)} batches acknowledged"
            time.sleep(0.02)


def _assert_every_acknowledged_batch_is_readable(organization, acked, in_flight=None):
    """``in_flight``: each session's next seq when the client stopped; that one batch may be
    stored without its 2xx having arrived (the client stopped before retrying it)."""
    sessions = {sid for sid, _seq in acked}
    for sid in sessions:
        session = Session.objects.get(organization=organization, session_id=sid)
        seqs = sorted(seq for s, seq in acked if s == sid)
        stored = list(Batch.objects.filter(session=session).values_list("seq", flat=True))
        assert set(seqs) <= set(stored), f"acknowledged but not stored: {set(seqs) - set(stored)}"
        played = list(session_events(organization=organization, session=session))
        # Batches stored but never acknowledged (a kill between commit and reply) were sent
        # again and acknowledged as duplicates, so every stored batch is in ``acked``.
        expected = []
        for seq in sorted(stored):
            if (sid, seq) not in acked:
                assert in_flight is not None and in_flight[sid] == seq, f"stored, never sent: {seq}"
                expected += _events(seq)
            else:
                expected += acked[(sid, seq)]
        assert played == expected  # every stored batch once, in order
        assert session.batch_count == len(stored)


def test_sigkill_of_the_web_server_loses_no_acknowledged_batch(settings, tmp_path, org_a):
    env = live_env(settings, tmp_path)
    recorder = Recorder(org_a, sessions=6)
    sids = list(recorder.next_seq)
    server = start_server(env, tmp_path / "gunicorn-0.log", workers=2)
    recorder.base_url = server.url
    threads = [threading.Thread(target=recorder.run, args=(sids[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        for round_ in range(1, 4):
            recorder.wait_for_acks(40 * round_)
            server.stop(signal.SIGKILL)  # master and workers, mid-request
            failures = recorder.failures
            time.sleep(0.3)
            assert recorder.failures > failures  # batches really were refused meanwhile
            server = start_server(env, tmp_path / f"gunicorn-{round_}.log", workers=2)
            recorder.base_url = server.url
        recorder.wait_for_acks(160)
    finally:
        recorder.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()

    assert len(recorder.acked) >= 160
    _assert_every_acknowledged_batch_is_readable(org_a, recorder.acked, recorder.next_seq)
    # Nothing acknowledged is missing, and no batch is stored that nobody sent.
    stored = set(Batch.objects.values_list("session__session_id", "seq"))
    assert set(recorder.acked) <= stored
    assert all(seq <= recorder.next_seq[sid] for sid, seq in stored)


def _loose_batches() -> bool:
    return Batch.objects.filter(segment__isnull=True).exists()


def _wait(predicate, timeout=180, interval=0.02):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(interval)


def test_sigkill_of_the_worker_mid_compaction_loses_no_batch(settings, tmp_path, org_a):
    from apps.replay.tasks import compact_due_sessions, compact_session
    from qorrelate.celery import app

    sids = [rrweb.new_session_id() for _ in range(40)]
    acked = {}
    for sid in sids:
        for seq in range(8):
            events = _events(seq, size=400)
            batch_store(
                organization=org_a,
                incoming=IncomingBatch(session_id=sid, seq=seq, events=events, ended=seq == 7),
            )
            acked[(sid, seq)] = events
    sessions = list(Session.objects.filter(organization=org_a).values_list("pk", flat=True))
    app.control.purge()
    for pk in sessions:
        compact_session.delay(org_a.pk, pk)

    env = live_env(settings, tmp_path)
    observed = []
    for round_ in range(3):
        worker = start_worker(env, tmp_path / f"worker-{round_}.log")
        if round_ == 0:
            target = len(sessions) // 4
        else:
            compact_due_sessions.delay()  # what beat does every two minutes
            target = Segment.objects.count() + 5
        try:
            # Compactions are quick: a later round may find the rest done before its target.
            _wait(lambda t=target: Segment.objects.count() >= t or not _loose_batches())
        finally:
            worker.stop(signal.SIGKILL)
        observed.append(Segment.objects.count())
        _assert_every_acknowledged_batch_is_readable(org_a, acked)  # while nobody compacts

    worker = start_worker(env, tmp_path / "worker-last.log")
    try:
        compact_due_sessions.delay()
        _wait(lambda: not _loose_batches())
    finally:
        worker.stop()

    assert observed[0] < len(sessions)  # the first kill really was mid-way
    _assert_every_acknowledged_batch_is_readable(org_a, acked)
    assert not Batch.objects.filter(segment__isnull=True).exists()
    segment_keys = set(Segment.objects.values_list("key", flat=True))
    assert segment_keys <= set(stored_keys())
