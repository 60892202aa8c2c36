"""The detectors on the labelled set of recorded sessions (benchmarks/insights_sessions/): precision
and recall per kind, and what detection costs next to the replay intake, per batch, in one run.

    .venv/bin/python benchmarks/insights_bench.py [--repeat 5]

Quality: a finding matches an expected one of the same kind within 1 s (each used once).
Cost, all CPU time of this process (PostgreSQL's and Redis's own work is not in it):
  intake     every batch of the set through the replay intake's stages after HTTP
             (apps.ingestion.pipeline.stages.process with ingestion.replay.intake.REPLAY:
             decode, admit, store, meter) — the intake as it runs with detection off;
  detectors  apps.insights.detect.detect over each whole session, once (detection runs once
             per session: when its last batch arrives or when it goes quiet), divided by the
             session's batch count;
  pass       apps.insights.services.session_detect on each stored session: reading its
             events back from storage, the detectors, storing findings and marks.
It drops and recreates the database named in --database (default qorrelate_insights_bench).
"""

import argparse
import logging
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
from ingest_common import ROOT, base_env, paid_organization, recreate_database, setup_django

sys.path.insert(0, str(ROOT))

from tests.insights.labelled_set import (  # noqa: E402
    HELD_OUT_DIR,
    KINDS,
    MATCH_MS,
    Labelled,
    load,
    score,
)


def _bodies(sessions, repeat: int) -> list[tuple[str, list[bytes]]]:
    """Every session's batches as the recorder sent them, once per repetition under a new
    session id (a repeated id would be a duplicate the intake acknowledges without storing)."""
    out = []
    for _ in range(repeat):
        for session in sessions:
            sid = str(uuid.uuid4())
            bodies = []
            for batch in session.batches:
                payload = {
                    k: v for k, v in batch.items() if k not in ("org", "previous_session_id")
                }
                payload["session_id"] = sid
                bodies.append(orjson.dumps(payload))
            out.append((sid, bodies))
    return out


def quality(label: str, sessions, detect) -> None:
    scores, mistakes = score(sessions, detect)
    expected = sum(len(s.expected) for s in sessions)
    negatives = sum(1 for s in sessions if not s.expected)
    print(
        f"{label}: {len(sessions)} sessions ({negatives} where nothing may be found), "
        f"{expected} expected findings; match = same kind within {MATCH_MS} ms"
    )
    print(
        f"{'kind':20} {'expected':>8} {'found':>6} {'TP':>4} {'FP':>4} {'FN':>4} "
        f"{'precision':>10} {'recall':>7}"
    )
    for kind in KINDS:
        s = scores[kind]
        found = s.true_positives + s.false_positives
        wanted = s.true_positives + s.false_negatives
        print(
            f"{kind:20} {wanted:8d} {found:6d} {s.true_positives:4d} {s.false_positives:4d} "
            f"{s.false_negatives:4d} {s.precision:10.1%} {s.recall:7.1%}"
        )
    for line in mistakes:
        print(f"  mistake: {line}")


def cost(label: str, organization, sessions, repeat: int) -> None:
    """CPU per batch of the intake (detection off), of the detectors alone and of a whole
    detection pass, over ``repeat`` copies of ``sessions``."""
    import gzip

    from django.test import Client

    from apps.ingestion.pipeline.stages import process
    from apps.ingestion.replay.intake import REPLAY
    from apps.insights.detect import detect
    from apps.insights.services import session_detect
    from apps.replay.models import Session

    runs = _bodies(sessions, repeat)
    posted = _bodies(sessions, repeat)  # the same batches, other session ids, through HTTP
    batches = sum(len(bodies) for _, bodies in runs)
    events = sum(len(s.events) for s in sessions) * repeat
    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/ingest/v1/replay?org={organization.public_id}"

    # Interleaved session by session, so the intake and the detectors see the same load.
    request_s = intake_s = detect_s = 0.0
    for (_, bodies), (_, http_bodies), session in zip(runs, posted, sessions * repeat, strict=True):
        before = _cpu()
        for body in http_bodies:
            # As replay.js sends it: gzip, from its Worker.
            response = client.post(url, gzip.compress(body, 6), content_type="application/json")
            assert response.status_code == 200, response.content
        first = _cpu()
        for body in bodies:
            process(REPLAY, organization=organization, body=body, media_type="application/json")
        middle = _cpu()
        detect(session.events)
        request_s += first - before
        intake_s += middle - first
        detect_s += _cpu() - middle
    request_ms = request_s * 1000 / batches
    intake_ms = intake_s * 1000 / batches
    detect_ms = detect_s * 1000 / batches

    stored = list(
        Session.objects.filter(organization=organization, session_id__in=[sid for sid, _ in runs])
    )
    assert len(stored) == len(runs), (len(stored), len(runs))
    before = _cpu()
    for session in stored:
        session_detect(organization=organization, session=session)
    pass_ms = (_cpu() - before) * 1000 / batches
    before = _cpu()
    for session in stored:  # read again with nothing new: what the sweep's later passes cost
        session_detect(organization=organization, session=session)
    again_ms = (_cpu() - before) * 1000 / batches

    # A pass after every batch while the session goes on (the most often the sweep could),
    # each resuming from the last one's checkpoint: what detecting "as batches arrive" costs.
    live_s = 0.0
    for sid, bodies in _bodies(sessions, repeat):
        for body in bodies:
            process(REPLAY, organization=organization, body=body, media_type="application/json")
            session = Session.objects.get(organization=organization, session_id=sid)
            before = _cpu()
            session_detect(organization=organization, session=session, keep=True)
            live_s += _cpu() - before
    live_ms = live_s * 1000 / batches

    print(
        f"cost per batch, {label}: {batches} batches, {len(runs)} sessions "
        f"({batches / len(runs):.1f} batches of {events / batches:.1f} events each)"
    )
    print(f"  intake, the whole request      {request_ms:8.3f} ms cpu   (Django test client, gzip)")
    print(
        f"  intake stages only            {intake_ms:8.3f} ms cpu   (decode, admit, store, meter)"
    )
    for name, ms in (
        ("detectors", detect_ms),
        ("first pass (read+detect+store)", pass_ms),
        ("a pass again, nothing new", again_ms),
        ("a pass after every batch", live_ms),
    ):
        print(
            f"  {name:<30}{ms:8.3f} ms cpu   {ms / request_ms:6.1%} of the request, "
            f"{ms / intake_ms:6.1%} of the stages"
        )


def _cpu() -> float:
    # CLOCK_PROCESS_CPUTIME_ID: user + system CPU of this process, at ns resolution (os.times()
    # counts 10 ms ticks, coarser than one session's detection).
    return time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_insights_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sessions = load()
    if not sessions:
        raise SystemExit("no sessions: run benchmarks/insights_labelled_set.py --record")

    work = Path(tempfile.mkdtemp(prefix="qorrelate-insights-bench-"))
    env = base_env(database_url=args.database, redis_url=args.redis, blob_dir=work / "blobs")
    recreate_database(args.database)
    setup_django(env)
    # One access-log line per request would flood this output; without it the request costs a
    # little less, which makes the ratios below stricter, not kinder.
    logging.getLogger("qorrelate.access").setLevel(logging.WARNING)
    from apps.ingestion.pipeline.stages import process
    from apps.ingestion.replay.intake import REPLAY
    from apps.insights.detect import detect

    # -- quality ---------------------------------------------------------------------------
    quality("labelled set", sessions, detect)
    held_out = load(HELD_OUT_DIR)
    if held_out:
        print()
        quality("held out (recorded after the fixes, not in the test)", held_out, detect)

    # -- cost, per batch -------------------------------------------------------------------
    organization = paid_organization("Insights Bench")
    for _, bodies in _bodies(sessions, 1):  # warm-up: imports, caches, first connections
        for body in bodies:
            process(REPLAY, organization=organization, body=body, media_type="application/json")
    print()
    cost("the labelled set", organization, sessions, args.repeat)
    from benchmarks.ingest_recording import load_or_record

    shop = Labelled("shop recording", load_or_record(), [])
    cost("the ingest benchmark's 30 s shop recording", organization, [shop], args.repeat * 8)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"({time.perf_counter() - t0:.0f} s)")
