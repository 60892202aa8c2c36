"""Session search and playback benchmark, through the REST API on gunicorn + PostgreSQL.

* Search: 100,000 sessions in one organization (realistic spread of URLs, users, browsers,
  durations, errors over 30 days); each filter / ordering of GET /api/v1/sessions is timed
  (20 calls each, one at a time) and the p50/p95 printed. Target: p95 < 200 ms.
* Playback: a 30-minute session (360 batches of a real replay.js recording, five seconds
  apart) stored through the intake's service; time to the first byte of
  GET /api/v1/sessions/{id}/events (whole session, first minute, a minute in the middle),
  before and after compaction, and the time for the whole download. Target: < 300 ms.

    .venv/bin/python benchmarks/ingest_search_bench.py [--sessions 100000] [--s3]

It drops and recreates the database named in --database (default qorrelate_h4_bench).
"""

import argparse
import http.client
import json
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from ingest_common import (
    base_env,
    describe,
    paid_organization,
    recreate_database,
    setup_django,
    start_gunicorn,
    start_moto,
)

BROWSERS = [("Chrome", 65), ("Mobile Safari", 12), ("Safari", 6), ("Firefox", 8), ("Edge", 6)]
PATHS = ["/", "/search", "/cart", "/checkout", "/checkout/payment", "/account", "/help"]
ERRORS = [
    "TypeError: Cannot read properties of undefined (reading 'total')",
    "Payment widget failed to load",
    "POST /api/orders → 500",
    "GET /api/coupons → 404",
    "ResizeObserver loop limit exceeded",
    "ChunkLoadError: Loading chunk 7 failed",
]


def _weighted(rng, choices):
    total = sum(weight for _value, weight in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


def make_sessions(organization, count: int) -> None:
    from django.db import connection

    from apps.replay.models import Session, SessionTrace

    rng = random.Random(42)  # noqa: S311 - reproducible data, not security
    now = datetime.now(UTC)
    batch, traces = [], []
    for _ in range(count):
        started = now - timedelta(seconds=rng.uniform(0, 30 * 86400))
        duration = int(min(7_200_000, rng.lognormvariate(11.5, 1.2)))
        pages = ["https://shop.example.com" + rng.choice(PATHS)]
        for _ in range(rng.randint(0, 7)):
            path = rng.choice([*PATHS, f"/products/{rng.randint(1, 5000)}"])
            url = "https://shop.example.com" + path
            if url not in pages:
                pages.append(url)
        has_errors = rng.random() < 0.15
        errors = rng.sample(ERRORS, rng.randint(1, 3)) if has_errors else []
        start_ms = int(started.timestamp() * 1000)
        batch.append(
            Session(
                organization=organization,
                session_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                user_id="" if rng.random() < 0.3 else f"user-{rng.randint(1, 20000)}",
                started_at=started,
                last_seen_at=started + timedelta(milliseconds=duration),
                ended_at=started + timedelta(milliseconds=duration),
                start_ms=start_ms,
                end_ms=start_ms + duration,
                duration_ms=duration,
                active_ms=duration // 3,
                entry_url=pages[0],
                urls=pages,
                url_text="\n".join(pages),
                page_count=len(pages),
                browser=_weighted(rng, BROWSERS),
                os="Linux",
                device_type="desktop",
                click_count=rng.randint(0, 80),
                console_error_count=len(errors),
                error_count=len(errors),
                error_text="\n".join(errors),
                event_count=rng.randint(50, 20000),
                batch_count=max(1, duration // 5000),
            )
        )
        if len(batch) == 5000:
            _flush(Session, SessionTrace, batch, traces, rng)
            batch = []
    if batch:
        _flush(Session, SessionTrace, batch, traces, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE replay_session")
        cursor.execute("ANALYZE replay_sessiontrace")


def _flush(Session, SessionTrace, batch, traces, rng):  # noqa: N803 - model classes
    created = Session.objects.bulk_create(batch)
    SessionTrace.objects.bulk_create(
        [
            SessionTrace(
                organization_id=s.organization_id,
                session_id=s.pk,
                trace_id=f"{rng.getrandbits(128):032x}",
                ts_ms=s.start_ms + 1000,
            )
            for s in created
            if rng.random() < 0.1
        ]
    )


def thirty_minute_session(organization, recording) -> str:
    from apps.replay.services import IncomingBatch, batch_store

    sid = str(uuid.uuid4())
    t0 = int(time.time() * 1000) - 31 * 60 * 1000
    first = min(e["timestamp"] for e in recording[0]["events"])
    for seq in range(360):
        source = recording[seq % len(recording)] if seq < len(recording) else None
        source = source or recording[1 + seq % (len(recording) - 1)]
        events = [
            {**e, "timestamp": t0 + seq * 5000 + (e["timestamp"] - first) % 5000}
            for e in source["events"]
        ]
        events.sort(key=lambda e: e["timestamp"])
        batch_store(
            organization=organization,
            incoming=IncomingBatch(
                session_id=sid,
                seq=seq,
                events=events,
                ended=seq == 359,
                page=source.get("page") or {},
                meta=source.get("meta") or {},
            ),
        )
    return sid


def get(url: str, path: str, token: str, *, first_byte: bool = False):
    target = urlsplit(url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    if first_byte:
        response.read(1)
        ttfb = (time.perf_counter() - started) * 1000
        rest = response.read()
        total = (time.perf_counter() - started) * 1000
        conn.close()
        assert response.status == 200, response.status
        return ttfb, total, len(rest) + 1
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    assert response.status == 200, (path, response.status, body[:300])
    return elapsed, json.loads(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_h4_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--s3", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qorrelate-search-bench-"))
    moto, s3 = start_moto() if args.s3 else (None, None)
    env = base_env(database_url=args.database, redis_url=args.redis, blob_dir=work / "blobs", s3=s3)
    recreate_database(args.database)
    setup_django(env)
    from apps.orgs.services import key_create
    from apps.replay.models import Session
    from apps.replay.services import session_compact
    from benchmarks.ingest_recording import load_or_record

    organization = paid_organization("Search Shop")
    began = time.perf_counter()
    make_sessions(organization, args.sessions)
    print(f"{args.sessions:,} sessions written in {time.perf_counter() - began:.0f} s")
    began = time.perf_counter()
    sid = thirty_minute_session(organization, load_or_record())
    long_session = Session.objects.get(organization=organization, session_id=sid)
    print(
        f"30-minute session: {long_session.batch_count} batches, {long_session.event_count:,} "
        f"events, {long_session.raw_bytes / 1e6:.1f} MB JSON, stored in "
        f"{time.perf_counter() - began:.0f} s"
    )
    _key, token = key_create(organization=organization, kind="api", name="bench", created_by=None)
    server = start_gunicorn(env, work / "gunicorn.log", workers=2, threads=4)
    try:
        url = server.url
        some_user = Session.objects.filter(organization=organization).exclude(user_id="")
        user_id = some_user.values_list("user_id", flat=True)[1234]
        week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat()
        trace = organization.replay_sessions.filter(traces__isnull=False).values_list(
            "traces__trace_id", flat=True
        )[77]
        queries = {
            "newest first (no filter)": {},
            "user id": {"user_id": user_id},
            "url contains 'checkout'": {"url": "checkout"},
            "url contains 'products/4321' (rare)": {"url": "products/4321"},
            "has errors": {"has_errors": "true"},
            "error text 'reading'": {"error": "reading"},
            "error text 'chunkload' (rare)": {"error": "chunkload"},
            "duration ≥ 10 min": {"min_duration_ms": 600000},
            "duration 1–2 min": {"min_duration_ms": 60000, "max_duration_ms": 120000},
            "last 7 days": {"started_after": week_ago},
            "browser Firefox": {"browser": "Firefox"},
            "trace id": {"trace_id": trace},
            "longest first": {"ordering": "-duration"},
            "most errors first": {"ordering": "-errors"},
            "url + errors, longest first": {
                "url": "checkout",
                "has_errors": "true",
                "ordering": "-duration",
            },
        }
        everything = []
        print(f"\nsearch over {args.sessions:,} sessions (50 a page), {args.reps} calls each:")
        for name, params in queries.items():
            path = "/api/v1/sessions?" + urlencode({**params, "limit": 50})
            get(url, path, token)  # warm
            times = []
            for _ in range(args.reps):
                elapsed, data = get(url, path, token)
                times.append(elapsed)
            next_page = data["next"]
            if next_page:
                split = urlsplit(next_page)
                times.append(get(url, f"{split.path}?{split.query}", token)[0])
            everything += times
            stats = describe(times)
            print(
                f"  {name:<38} p50 {stats['p50_ms']:6.1f} ms  p95 {stats['p95_ms']:6.1f} ms"
                f"  ({len(data['results'])} rows)"
            )
        overall = describe(everything)
        print(
            f"  {'all queries':<38} p50 {overall['p50_ms']:6.1f} ms"
            f"  p95 {overall['p95_ms']:6.1f} ms"
        )

        print("\nfirst byte of /events for the 30-minute session:")
        for state in ("loose batches", "compacted"):
            if state == "compacted":
                segments = session_compact(organization=organization, session=long_session)
                state = f"compacted ({len(segments)} segments)"
            for label, window in (
                ("whole session", {}),
                ("first minute", {"start": 0, "end": 60000}),
                ("minute 15", {"start": 900000, "end": 960000}),
            ):
                path = f"/api/v1/sessions/{sid}/events"
                if window:
                    path += "?" + urlencode(window)
                get(url, path, token, first_byte=True)
                samples = [get(url, path, token, first_byte=True) for _ in range(10)]
                ttfb = describe([s[0] for s in samples])
                total = describe([s[1] for s in samples])
                print(
                    f"  {state:<26} {label:<14} first byte p50 {ttfb['p50_ms']:6.1f} ms "
                    f"p95 {ttfb['p95_ms']:6.1f} ms   all {samples[0][2] / 1e6:5.2f} MB "
                    f"in p50 {total['p50_ms']:7.1f} ms"
                )
    finally:
        server.stop()
        if moto is not None:
            moto.terminate()


if __name__ == "__main__":
    main()
