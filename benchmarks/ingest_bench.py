"""Replay intake benchmark: realistic gzip batches (a real replay.js recording) sent from a
second process on loopback to gunicorn (deploy/gunicorn.conf.py) + PostgreSQL + Redis + file
storage (or S3 on a moto server), next to the framework's floor on the same server, same run.

Prints batches/s, MB/s (compressed, on the wire, and the JSON inside), p50/p99 latency, and the
intake's ratio to the floor: ``POST /bench/floor`` (same middleware, routing and body read,
fixed reply) and ``GET /healthz`` (a probe answered by the first middleware).

    .venv/bin/python benchmarks/ingest_bench.py [--seconds 15] [--clients 8] [--s3]

It drops and recreates the database named in --database (default qorrelate_h4_bench).
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from ingest_common import (
    CpuMeter,
    base_env,
    describe,
    paid_organization,
    recreate_database,
    run_driver,
    setup_django,
    start_gunicorn,
    start_moto,
)


def phase(url, path, method, args, meter, org="org_bench"):
    cycle = ["--cycle"] if path.startswith("/bench/") else []
    before = meter.snapshot()
    result = run_driver(
        [
            *cycle,
            "--url",
            url,
            "--path",
            path,
            "--method",
            method,
            "--seconds",
            str(args.seconds),
            "--clients",
            str(args.clients),
            "--org",
            org,
            "--pool",
            str(args.pool),
        ],
        timeout=args.seconds * 4 + 120,
    )
    used = CpuMeter.used(before, meter.snapshot())
    sent = max(1, result["sent_total"])
    cpu_ms = {
        "server": used["server"] / sent * 1000,
        "postgres": used["postgres"] / sent * 1000,
        "driver": result["driver_cpu"] / sent * 1000,
    }
    cpu_ms["total"] = sum(cpu_ms.values())
    result["cpu_ms"] = cpu_ms
    rate = result["requests"] / result["elapsed"]
    stats = describe(result["latencies_ms"])
    mb = result["bytes"] / result["elapsed"] / 1e6
    raw_mb = rate * result["raw_bytes_per_request"] / 1e6
    return {**result, "rate": rate, "mb_s": mb, "raw_mb_s": raw_mb, **stats}


def line(name, r):
    ok = r["statuses"].get("200", 0)
    return (
        f"{name:<28} {r['rate']:8.0f}/s  {r['mb_s']:6.2f} MB/s gz  {r['raw_mb_s']:6.2f} MB/s json"
        f"  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  ({ok}/{r['requests']} ok)"
    )


def cpu_line(name, r):
    c = r["cpu_ms"]
    return (
        f"{name:<28} {c['total']:6.2f} ms CPU per request: server {c['server']:5.2f}, "
        f"PostgreSQL {c['postgres']:5.2f}, driver {c['driver']:5.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_h4_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pool", type=int, default=8000)
    parser.add_argument("--s3", action="store_true", help="store blobs on a moto S3 server")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qorrelate-ingest-bench-"))
    moto, s3 = start_moto() if args.s3 else (None, None)
    env = base_env(database_url=args.database, redis_url=args.redis, blob_dir=work / "blobs", s3=s3)
    recreate_database(args.database)
    setup_django(env)
    from benchmarks.ingest_recording import load_or_record, summary

    recording = load_or_record()
    organization = paid_organization("Bench Shop")
    server = start_gunicorn(env, work / "gunicorn.log", workers=args.workers, threads=args.threads)
    try:
        print(f"recording: {summary(recording)}")
        print(
            f"server: gunicorn gthread {args.workers}×{args.threads}, PostgreSQL, Redis, "
            f"{'S3 (moto)' if s3 else 'file storage'}; driver: {args.clients} keep-alive clients"
        )
        meter = CpuMeter(server.proc.pid, args.database.rsplit("/", 1)[1])
        healthz = phase(server.url, "/healthz", "GET", args, meter)
        floor = phase(server.url, "/bench/floor", "POST", args, meter)
        path = f"/ingest/v1/replay?org={organization.public_id}"
        intake = phase(server.url, path, "POST", args, meter, org=organization.public_id)
        floor2 = phase(server.url, "/bench/floor", "POST", args, meter)
    finally:
        server.stop()
        if moto is not None:
            moto.terminate()

    from apps.replay.models import Batch

    stored = Batch.objects.filter(organization=organization).count()
    floor_rate = (floor["rate"] + floor2["rate"]) / 2
    print(line("GET /healthz (probe)", healthz))
    print(line("POST /bench/floor", floor))
    print(line("POST /ingest/v1/replay", intake))
    print(line("POST /bench/floor (again)", floor2))
    print(
        f"intake / floor: {intake['rate'] / floor_rate:.2f}   "
        f"intake / healthz: {intake['rate'] / healthz['rate']:.2f}   "
        f"stored batches: {stored} (= {intake['ok_total']} acknowledged)"
    )
    floor_cpu = (floor["cpu_ms"]["total"] + floor2["cpu_ms"]["total"]) / 2
    print(cpu_line("POST /bench/floor", floor))
    print(cpu_line("POST /ingest/v1/replay", intake))
    print(cpu_line("POST /bench/floor (again)", floor2))
    print(
        f"CPU per request, floor ÷ intake: {floor_cpu / intake['cpu_ms']['total']:.2f} "
        "(the throughput ratio the machine allows once the CPU is the limit)"
    )
    if stored != intake["ok_total"]:
        raise SystemExit("stored batches differ from acknowledged ones")
    time.sleep(0.1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
