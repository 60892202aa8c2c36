"""Where a replay batch's time goes, stage by stage: the intake called in-process through the WSGI
application (same settings as the HTTP benchmark), one request at a time, each pipeline stage
timed with this thread's CPU time and with wall time. Wall minus CPU is time spent waiting: for
the disk (fsync), for PostgreSQL and Redis, and for a CPU on a busy machine. PostgreSQL's own
CPU (its backend for this process) is reported for the whole run.

    .venv/bin/python benchmarks/ingest_stages.py [--batches 1500]

It drops and recreates the database named in --database (default qorrelate_h4_stages).
"""

import argparse
import functools
import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ingest_common import base_env, paid_organization, recreate_database, setup_django
from ingest_profile import backend_cpu, environ_for

_spent: dict[str, list[int]] = defaultdict(lambda: [0, 0])


def _timed(label: str, fn):
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = _spent[label]
            spent[0] += time.thread_time_ns() - cpu
            spent[1] += time.perf_counter_ns() - wall

    return timed


def _instrument() -> list[tuple[str, str]]:
    """Wraps the stages where their callers look them up; returns (label, parent) rows in
    report order (a parent's time includes its children's)."""
    from apps.ingestion.pipeline import stages
    from apps.ingestion.replay import envelope
    from apps.ingestion.replay.intake import REPLAY
    from apps.replay.services import batches
    from apps.replay.storage import blobs, frames

    stages.throttle = _timed("throttle (Redis)", stages.throttle)
    stages.read_body = _timed("read body + gunzip", stages.read_body)
    envelope.parse = _timed("decode (orjson + validation)", envelope.parse)
    REPLAY.store = _timed("store", REPLAY.store)
    batches.analyze = _timed("  analyze", batches.analyze)
    frames.encode_frame = _timed("  encode frame", frames.encode_frame)
    blobs.compress = _timed("  zstd", blobs.compress)
    blobs.put = _timed("  blob write + 2 fsyncs", blobs.put)
    stages._meter = _timed("meter (Redis, no reply)", stages._meter)
    REPLAY.after_reply = tuple(
        _timed(f"after reply: {hook.__name__}", hook) for hook in REPLAY.after_reply
    )
    return [
        ("throttle (Redis)", ""),
        ("read body + gunzip", ""),
        ("decode (orjson + validation)", ""),
        ("store", ""),
        ("  analyze", "store"),
        ("  encode frame", "store"),
        ("  zstd", "store"),
        ("  blob write + 2 fsyncs", "store"),
        ("meter (Redis, no reply)", ""),
        *((f"after reply: {hook.__wrapped__.__name__}", "") for hook in REPLAY.after_reply),
    ]


def _run(application, path: str, bodies: list[bytes]) -> tuple[int, int]:
    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise SystemExit(f"unexpected status {status}")

    cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
    for body in bodies:
        result = application(environ_for("POST", path, body), start_response)
        b"".join(result)
        result.close()
    return time.thread_time_ns() - cpu, time.perf_counter_ns() - wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_h4_stages"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--batches", type=int, default=1500)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qorrelate-ingest-stages-"))
    env = base_env(database_url=args.database, redis_url=args.redis, blob_dir=work / "blobs")
    env["ACCESS_LOG"] = "false"  # as ingest_profile.py: only the handler is measured
    recreate_database(args.database)
    setup_django(env)
    from benchmarks.ingest_driver import build_bodies
    from benchmarks.ingest_floor_app import application

    organization = paid_organization("Stages Shop")
    bodies, _ = build_bodies(organization.public_id, args.batches + 200)
    intake = f"/ingest/v1/replay?org={organization.public_id}"
    warm, bodies = bodies[:200], bodies[200:]
    rows = _instrument()
    _run(application, intake, warm)
    _run(application, "/bench/floor", warm)
    _spent.clear()

    n = len(bodies)
    floor_cpu, floor_wall = _run(application, "/bench/floor", bodies)
    pg = backend_cpu()
    cpu, wall = _run(application, intake, bodies)
    pg = backend_cpu() - pg

    def line(label: str, spent_cpu: int, spent_wall: int) -> None:
        cpu_ms, wall_ms = spent_cpu / n / 1e6, spent_wall / n / 1e6
        print(f"{label:38} {cpu_ms:7.3f} {wall_ms:8.3f} {wall_ms - cpu_ms:8.3f}")

    print(f"load average {os.getloadavg()[0]:.1f}; per batch, {n} batches")
    print(f"{'stage':38} {'CPU ms':>7} {'wall ms':>8} {'waiting':>8}")
    line("floor request (whole)", floor_cpu, floor_wall)
    line("intake request (whole)", cpu, wall)
    staged = [0, 0]
    in_store = [0, 0]
    for label, parent in rows:
        spent_cpu, spent_wall = _spent[label]
        total = in_store if parent else staged
        total[0] += spent_cpu
        total[1] += spent_wall
        line(label, spent_cpu, spent_wall)
        if label == "store":
            store = (spent_cpu, spent_wall)
    line("  rows: select, merge, writes, COMMIT", store[0] - in_store[0], store[1] - in_store[1])
    line("the rest (Django, auth, reply)", cpu - staged[0], wall - staged[1])
    print(f"PostgreSQL backend CPU: {pg / n * 1000:.3f} ms per batch")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
