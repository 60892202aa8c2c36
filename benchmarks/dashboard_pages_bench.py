"""Dashboard pages: server time per page with 100,000 sessions in one organization.

Seeds a fresh database (100,000 sessions with timeline marks, a fifth of them with backend
traces and logs; one long session with 40 traces and 200 moments), then requests every page
through Django's full stack in-process (middleware, session auth, tenancy, selectors,
templates; production settings, so cached templates), signed in as a member, one request at a
time. ``GET /healthz`` in the same run is the baseline.

    .venv/bin/python benchmarks/dashboard_pages_bench.py [--sessions 100000] [--runs 15]

It drops and recreates the database named in --database (default qorrelate_h6_bench).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(database_url: str, redis_url: str) -> None:
    blobs = Path(tempfile.mkdtemp(prefix="qorrelate-dashboard-bench-"))
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        QORRELATE_DATA_DIR=str(blobs),
        QORRELATE_BLOB_DIR=str(blobs / "blobs"),
        DJANGO_SETTINGS_MODULE="qorrelate.settings",
        QORRELATE_ENV="production",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    logging.getLogger("qorrelate.access").disabled = True  # one JSON line per request
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(client, url: str, runs: int, expect: int) -> list[float]:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == expect, (url, response.status_code)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/qorrelate_h6_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()

    recreate_database(args.database)
    configure(args.database, args.redis)
    from dashboard_seed import seed, since
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from apps.orgs.models import Membership, Organization
    from tests.factories import UserFactory

    organization = Organization.objects.create(name="Bench Shop", slug="bench")
    user = UserFactory(email="bench@example.test")
    Membership.objects.create(organization=organization, user=user, role="member")
    started = time.perf_counter()
    seeded = seed(organization, sessions=args.sessions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {args.sessions:,} sessions and {seeded['spans']:,} spans "
        f"in {time.perf_counter() - started:.0f} s"
    )
    cache.clear()
    client = Client()
    client.force_login(user)
    base = f"/o/{organization.slug}"
    sid, tid = seeded["detail_session"], seeded["detail_trace"]
    last = -(-args.sessions // 25)
    middle = last // 2
    pages = [
        ("baseline: GET /healthz", "/healthz", 200),
        ("floor: members settings page (same layout)", f"{base}/settings/members/", 200),
        ("sessions, newest first", f"{base}/sessions/", 200),
        (
            "sessions, URL contains + has errors",
            f"{base}/sessions/?url=checkout&has_errors=yes",
            200,
        ),
        ("sessions, error text (rare)", f"{base}/sessions/?error=ChunkLoad", 200),
        ("sessions, user id", f"{base}/sessions/?user=user-4242", 200),
        (
            "sessions, last 7 days, longest first",
            f"{base}/sessions/?after={since(7)}&sort=-duration",
            200,
        ),
        (
            "sessions, browser + duration ≥ 10 min",
            f"{base}/sessions/?browser=Firefox&min_duration=600",
            200,
        ),
        ("sessions, has ticket", f"{base}/sessions/?has_ticket=yes", 200),
        (f"sessions, page {middle:,} of {last:,}", f"{base}/sessions/?page={middle}", 200),
        ("session page (40 traces, 200 logs, 200 moments)", f"{base}/sessions/{sid}/", 200),
        ("traces, newest first", f"{base}/traces/", 200),
        ("traces, errors only", f"{base}/traces/?has_errors=yes", 200),
        ("trace page (8 spans, 5 logs)", f"{base}/traces/{tid}/", 200),
        ("inline waterfall", f"{base}/traces/{tid}/waterfall/", 200),
        ("session link /r/ (redirect)", f"/r/{organization.public_id}/{sid}?t=1000", 302),
    ]
    results = []
    for label, url, expect in pages:
        samples = timed(client, url, args.runs, expect)
        results.append((label, statistics.median(samples), p95(samples)))
    baseline = results[0][1]
    print(
        f"\nDashboard pages, {args.sessions:,} sessions in the organization, {args.runs} runs each"
    )
    print("| page | p50 | p95 | × /healthz |\n| --- | --- | --- | --- |")
    for label, median, high in results:
        print(f"| {label} | {median:.1f} ms | {high:.1f} ms | {median / baseline:.0f}× |")
    worst = max(high for _, _, high in results[1:])
    print(f"\nslowest page p95: {worst:.1f} ms (target < 500 ms)")
    return 0 if worst < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
