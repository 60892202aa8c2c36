"""Lifecycle workers: retention throughput against S3 and masking-audit throughput, each with a
baseline measured in the same run.

Retention: sessions recorded through the replay service into an S3 bucket (a moto server,
started here), aged past their retention, then deleted by ``retention_run`` (mark, delete the
blobs with DeleteObjects, delete the rows, log). Baseline: the same number of blobs of the same
sizes deleted with bare boto3 ``delete_objects`` (1000 keys a request) and nothing else — the
floor any S3-backed deletion has to pay. Printed: sessions/s, blobs/s, and the ratio.

Audit: real recorder batches (data/bench/recording.json, a checkout page) with a card number
planted in a text node, stored per session; ``session_audit`` reads each session's chunks from
S3, decompresses, walks the rrweb structures, runs every detector and records findings.
Baselines over the very same decompressed bytes: a bare pass of the detector regexes over the
raw text (no JSON parsing, no validators, no DOM context), and the scanner alone (parse + walk
+ detect, no storage, no database). Printed: MB/s (uncompressed) of each and the ratios.

Rounds alternate the measured and the baseline runs so both see the same machine load.

    .venv/bin/python benchmarks/lifecycle_bench.py [--sessions 300] [--rounds 3]

Uses its own database (BENCH_DATABASE_URL, default qorrelate_bench_lifecycle on 127.0.0.1) and
Redis database (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13).
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDING = ROOT / "data" / "bench" / "recording.json"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qorrelate_bench_lifecycle"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
CARD = "4111 1111 1111 1111"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto_server did not start")


def setup(endpoint: str, bucket: str):
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ.update(
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        DJANGO_SETTINGS_MODULE="qorrelate.settings",
        LOG_LEVEL="WARNING",
        DEBUG="0",
    )
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    return client


def _create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _organization(slug: str):
    from apps.billing.services import plan_by_code, subscription_change_plan
    from apps.orgs.models import Organization
    from apps.replay.models import Batch, Segment

    # Batches first: Batch.segment is PROTECT, so the cascade from the organization cannot.
    Batch.objects.filter(organization__slug=slug).delete()
    Segment.objects.filter(organization__slug=slug).delete()
    Organization.objects.filter(slug=slug).delete()
    organization = Organization.objects.create(name=slug, slug=slug)
    subscription_change_plan(
        organization=organization, plan=plan_by_code(code="team"), source="staff", force=True
    )
    return organization


def _recording() -> list[list[dict]]:
    envelopes = json.loads(RECORDING.read_text())
    batches = [envelope["events"] for envelope in envelopes]
    # Plant a card in the first text node of the first full snapshot (what an unmasked receipt
    # paragraph would look like).
    for event in batches[0]:
        if event.get("type") == 2:
            stack = [event["data"]["node"]]
            while stack:
                node = stack.pop()
                if node.get("type") == 3 and node.get("textContent", "").strip():
                    node["textContent"] = f"Charged to card {CARD} today"
                    return batches
                stack.extend(node.get("childNodes") or [])
    return batches


def _simple_batches() -> list[list[dict]]:
    from tests.replay import rrweb

    t = rrweb.T0
    first = [*rrweb.page_load(t), *[rrweb.mouse_move(t + 10 + i, x=i) for i in range(60)]]
    later = [[rrweb.mouse_move(t + 1000 * s + i, x=i) for i in range(80)] for s in (1, 2)]
    return [first, *later]


def _record(organization, batches: list[list[dict]], count: int) -> list:
    from apps.replay.services import IncomingBatch, batch_store

    sessions = []
    for _ in range(count):
        session_id = str(uuid.uuid4())
        for seq, events in enumerate(batches):
            stored = batch_store(
                organization=organization,
                incoming=IncomingBatch(session_id=session_id, seq=seq, events=events),
            )
        sessions.append(stored.session)
    return sessions


# Retention --------------------------------------------------------------------------------


def retention_round(client, bucket: str, sessions: int) -> dict:
    from django.utils import timezone

    from apps.lifecycle.retention.run import retention_run
    from apps.replay.models import Batch, Session

    organization = _organization("bench-retention")
    recorded = _record(organization, _simple_batches(), sessions)
    old = timezone.now() - timedelta(days=40)
    Session.objects.filter(organization=organization).update(last_seen_at=old)
    sizes = list(Batch.objects.filter(organization=organization).values_list("key", "bytes"))
    started = time.perf_counter()
    result = retention_run(organization=organization)
    ours = time.perf_counter() - started
    assert result.sessions == len(recorded), result

    # Baseline: the same blobs (count and sizes), deleted with bare boto3.
    keys = [f"baseline/{uuid.uuid4().hex}/{i}.jsonl.zst" for i in range(len(sizes))]
    for key, (_k, size) in zip(keys, sizes, strict=True):
        client.put_object(Bucket=bucket, Key=key, Body=os.urandom(size))
    started = time.perf_counter()
    for start in range(0, len(keys), 1000):
        client.delete_objects(
            Bucket=bucket,
            Delete={"Objects": [{"Key": k} for k in keys[start : start + 1000]], "Quiet": True},
        )
    bare = time.perf_counter() - started
    return {
        "sessions": len(recorded),
        "blobs": len(sizes),
        "ours_s": ours,
        "bare_s": bare,
        "ours_sessions_per_s": len(recorded) / ours,
        "bare_sessions_per_s": len(recorded) / bare,
    }


# Audit -------------------------------------------------------------------------------------


def audit_round(sessions: int) -> dict:
    from apps.core import sensitive as detectors
    from apps.privacy.audit.service import session_audit
    from apps.privacy.models import Finding
    from apps.privacy.scan.dom import DomState
    from apps.privacy.scan.scanner import scan_events
    from apps.replay.models import Segment
    from apps.replay.services import session_compact
    from apps.replay.storage import blobs, frames

    organization = _organization("bench-audit")
    recorded = _record(organization, _recording(), sessions)
    for session in recorded:  # what nightly audits read: one segment per session
        session_compact(organization=organization, session=session)
    raw_total = sum(
        Segment.objects.filter(organization=organization).values_list("raw_bytes", flat=True)
    )

    started = time.perf_counter()
    for session in recorded:
        session_audit(
            organization=organization, session=session, scope="manual", redact_values=False
        )
    ours = time.perf_counter() - started
    found = Finding.objects.filter(organization=organization, kind="card_number").count()
    assert found == sessions, f"expected one card per session, found {found}"

    # The same decompressed bytes, in memory, for the two baselines.
    raws = [
        blobs.get(key)
        for key in Segment.objects.filter(organization=organization)
        .order_by("session_id", "first_seq")
        .values_list("key", flat=True)
    ]
    patterns = [pattern for _kind, pattern, _valid, _group in detectors.PATTERNS]
    started = time.perf_counter()
    hits = 0
    for raw in raws:
        text = raw.decode()
        for pattern in patterns:
            hits += sum(1 for _ in pattern.finditer(text))
    bare = time.perf_counter() - started

    started = time.perf_counter()
    state = DomState()
    for raw in raws:
        for frame in frames.iter_frames(raw):
            events = [json.loads(frames.line_event_json(line)) for line in frame.lines]
            scan_events(events, state)
    scanner = time.perf_counter() - started
    mb = raw_total / 1e6
    return {
        "sessions": sessions,
        "mb": mb,
        "ours_mb_s": mb / ours,
        "scanner_mb_s": mb / scanner,
        "bare_mb_s": mb / bare,
        "bare_hits": hits,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--audit-sessions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    moto, endpoint = start_moto()
    try:
        client = setup(endpoint, f"bench-lifecycle-{uuid.uuid4().hex[:8]}")
        retention, audit = [], []
        for round_ in range(args.rounds):
            retention.append(
                retention_round(client, os.environ["AWS_STORAGE_BUCKET_NAME"], args.sessions)
            )
            audit.append(audit_round(args.audit_sessions))
            r, a = retention[-1], audit[-1]
            print(
                f"round {round_ + 1}: retention {r['ours_sessions_per_s']:.0f} sessions/s "
                f"({r['blobs']} blobs) vs bare delete_objects {r['bare_sessions_per_s']:.0f}/s; "
                f"audit {a['ours_mb_s']:.2f} MB/s, scanner {a['scanner_mb_s']:.2f} MB/s, "
                f"bare regex {a['bare_mb_s']:.2f} MB/s",
                flush=True,
            )
        med = statistics.median
        r_ours = med(r["ours_sessions_per_s"] for r in retention)
        r_bare = med(r["bare_sessions_per_s"] for r in retention)
        blobs_per_session = retention[0]["blobs"] / retention[0]["sessions"]
        a_ours = med(a["ours_mb_s"] for a in audit)
        a_scan = med(a["scanner_mb_s"] for a in audit)
        a_bare = med(a["bare_mb_s"] for a in audit)
        print()
        print(f"Retention ({args.sessions} sessions × {blobs_per_session:.0f} blobs, moto S3):")
        per = blobs_per_session
        print(f"  retention_run          {r_ours:8.0f} sessions/s  {r_ours * per:8.0f} blobs/s")
        print(f"  bare delete_objects    {r_bare:8.0f} sessions/s  {r_bare * per:8.0f} blobs/s")
        r_ratio = med(r["ours_sessions_per_s"] / r["bare_sessions_per_s"] for r in retention)
        print(f"  ratio (median/round)   {r_ratio:8.2f}")
        mb = audit[0]["mb"]
        print(f"Audit ({args.audit_sessions} sessions, {mb:.1f} MB uncompressed per round):")
        print(f"  session_audit (S3+DB)  {a_ours:8.2f} MB/s")
        print(f"  scanner alone          {a_scan:8.2f} MB/s")
        print(f"  bare regex pass        {a_bare:8.2f} MB/s")
        a_ratio = med(a["ours_mb_s"] / a["bare_mb_s"] for a in audit)
        s_ratio = med(a["scanner_mb_s"] / a["bare_mb_s"] for a in audit)
        print(f"  ratio (median/round)   audit/bare {a_ratio:.2f}   scanner/bare {s_ratio:.2f}")
    finally:
        moto.terminate()
        moto.wait(timeout=10)


if __name__ == "__main__":
    main()
