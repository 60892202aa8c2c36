"""The load driver of the replay intake benchmark, run as its own process (on loopback).

Builds its request bodies before the clock starts (gzip, one unique session id per recorded
session, seq 0..n like the recorder), then N client threads with keep-alive connections send
them for a fixed time. Prints one JSON object: requests, bytes, elapsed, latencies, statuses.

    python benchmarks/ingest_driver.py --url http://127.0.0.1:8000 --path /bench/floor \\
        --method POST --seconds 10 --clients 8 --org org_… --pool 6000
"""

import argparse
import gzip
import http.client
import itertools
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_bodies(org: str, pool: int, wave: int = 64) -> tuple[list[bytes], int]:
    """Bodies in the order a crowd of recorders sends them: ``wave`` sessions at a time, each
    session's next batch only after the other sessions' current one (one in flight each)."""
    import orjson

    from benchmarks.ingest_recording import load_or_record

    recording = load_or_record()
    bodies, raw_total = [], 0
    while len(bodies) < pool:
        sessions = [str(uuid.uuid4()) for _ in range(wave)]
        for seq, batch in enumerate(recording):
            for session_id in sessions:
                payload = {**batch, "org": org, "session_id": session_id, "seq": seq}
                raw = orjson.dumps(payload)
                raw_total += len(raw)
                bodies.append(gzip.compress(raw, compresslevel=6))
    return bodies[:pool], raw_total / len(bodies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--method", default="POST")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=1.5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--org", default="org_bench")
    parser.add_argument("--pool", type=int, default=6000)
    parser.add_argument("--cycle", action="store_true", help="reuse bodies (not for the intake)")
    args = parser.parse_args()

    bodies, raw_mean = build_bodies(args.org, args.pool) if args.method == "POST" else ([b""], 0)
    target = urlsplit(args.url)
    next_body = itertools.count()
    lock = threading.Lock()
    measuring = threading.Event()
    stop = threading.Event()
    results = {
        "latencies": [],
        "bytes": 0,
        "statuses": {},
        "exhausted": False,
        "ok_total": 0,
        "sent_total": 0,
    }

    def client():
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        while not stop.is_set():
            with lock:
                i = next(next_body)
            if args.method == "POST":
                if args.cycle:
                    i %= len(bodies)
                elif i >= len(bodies):
                    results["exhausted"] = True
                    return
                body = bodies[i]
                headers = {"Content-Type": "application/json", "Origin": "https://shop.test"}
            else:
                body, headers = None, {}
            started = time.perf_counter()
            try:
                conn.request(args.method, args.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                results["sent_total"] += 1
                results["ok_total"] += status == 200
            if measuring.is_set() and not stop.is_set():
                with lock:
                    results["latencies"].append(elapsed_ms)
                    results["bytes"] += len(body or b"")
                    results["statuses"][status] = results["statuses"].get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    cpu_before = os.times()
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    measuring.set()
    began = time.perf_counter()
    deadline = began + args.seconds
    while time.perf_counter() < deadline and not results["exhausted"]:
        time.sleep(0.05)
    elapsed = time.perf_counter() - began
    stop.set()
    for thread in threads:
        thread.join()
    cpu_after = os.times()
    driver_cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    print(
        json.dumps(
            {
                "requests": len(results["latencies"]),
                "bytes": results["bytes"],
                "raw_bytes_per_request": raw_mean,
                "elapsed": elapsed,
                "latencies_ms": results["latencies"],
                "statuses": results["statuses"],
                "exhausted": results["exhausted"],
                "ok_total": results["ok_total"],
                "sent_total": results["sent_total"],
                "driver_cpu": driver_cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
