"""Spans/s and log records/s one web process sustains over OTLP/HTTP (docs/scaling.md's T_w, L_w).

One gunicorn process configured by deploy/gunicorn.conf.py (gthread, 4 threads) serves the
benchmark database; 4 client threads POST the same pre-serialized, gzip-compressed protobuf
export requests (batches of 512, see otlp_payloads.py) with an ingest key, as SDK exporters and
collectors do. Client, server and PostgreSQL share this machine's cores.

    .venv/bin/python benchmarks/otlp_http_bench.py [--batches 60] [--clients 4]
"""

import argparse
import gzip
import os
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import otlp_benchdb
import otlp_payloads
import requests


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
    }
    proc = subprocess.Popen(
        [
            str(otlp_benchdb.ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "qorrelate.wsgi:application",
        ],
        cwd=otlp_benchdb.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn did not start")


def _send_all(base: str, path: str, key: str, bodies: list[bytes], clients: int) -> float:
    headers = {
        "Content-Type": "application/x-protobuf",
        "Content-Encoding": "gzip",
        "Authorization": f"Bearer {key}",
    }
    sessions = [requests.Session() for _ in range(clients)]

    def post(item):
        index, body = item
        response = sessions[index % clients].post(base + path, data=body, headers=headers)
        assert response.status_code == 200, response.status_code

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(post, enumerate(bodies)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    url = otlp_benchdb.setup()
    from django.db import connection

    from apps.orgs.services import key_create

    organization = otlp_benchdb.organization("bench-http")
    _key, raw = key_create(organization=organization, kind="ingest", name="bench", created_by=None)
    rng = random.Random(11)
    start_ns = 1_732_000_000_000_000_000
    signals = {
        "spans": ("/v1/traces", otlp_payloads.traces_request, "traces_span"),
        "log records": ("/v1/logs", otlp_payloads.logs_request, "traces_logrecord"),
    }
    port = _free_port()
    server = _start_gunicorn(url, port)
    try:
        print(
            f"OTLP/HTTP into one gunicorn process (gthread × 4), {args.clients} clients, "
            f"{args.batches} gzip protobuf requests × 512"
        )
        for name, (path, make, table) in signals.items():
            bodies = [
                gzip.compress(make(rng, start_ns + i * 10**10).SerializeToString())
                for i in range(args.batches)
            ]
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {table}")  # noqa: S608 — a fixed table name
            _send_all(f"http://127.0.0.1:{port}", path, raw, bodies[:4], args.clients)  # warm-up
            elapsed = _send_all(f"http://127.0.0.1:{port}", path, raw, bodies, args.clients)
            count = args.batches * otlp_payloads.BATCH
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}"  # noqa: S608
                )
                rows, size = cursor.fetchone()
            print(
                f"{name:<12} {count / elapsed:>9,.0f}/s   {elapsed / args.batches * 1000:6.1f} ms "
                f"per request   stored {size / rows:,.0f} bytes/row with indexes"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
