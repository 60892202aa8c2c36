"""Lookup latency with millions of stored spans: session → traces and trace → spans.

Generates the spans in PostgreSQL itself (INSERT … SELECT over generate_series, indexes built
after loading) in a dedicated database, once; later runs reuse it. The data: 4 organizations,
traces of 8 spans (a server span and 7 children), 25 traces per browser session, a trace every
2 s over the whole range, ~7 attributes per span. Then, for random sessions and traces of one
organization, each looked up once, it times what the API views run — the selector and the
serializer:

* session → traces: ``selectors.session_traces`` + ``SessionTracesSerializer``
* trace → spans: ``selectors.trace_get`` + ``TraceDetailSerializer`` (the waterfall)

    .venv/bin/python benchmarks/otlp_lookup.py [--spans 10000000] [--lookups 300]

Uses BENCH_LOOKUP_DATABASE_URL (default qorrelate_bench_otlp_lookup on 127.0.0.1).
"""

import argparse
import os
import random
import statistics
import time

import otlp_benchdb

ORGS = 4
SPANS_PER_TRACE = 8
TRACES_PER_SESSION = 25
CHUNK = 1_000_000
BASE_NS = 1_700_000_000_000_000_000
INDEXES = ("span_org_session", "span_org_trace", "span_org_start", "span_start_brin")

INSERT = f"""
INSERT INTO traces_span (
    organization_id, trace_id, span_id, parent_span_id, name, kind, status_code, status_message,
    service_name, scope_name, start_time_unix_nano, end_time_unix_nano, duration_ns, attributes,
    resource_attributes, events, links, session_id, http_status_code, is_error)
SELECT
    (%(orgs)s::bigint[])[1 + (g / {SPANS_PER_TRACE} / {TRACES_PER_SESSION}) %% {ORGS}],
    md5('t' || (g / {SPANS_PER_TRACE})),
    substr(md5('s' || g), 1, 16),
    CASE WHEN g %% {SPANS_PER_TRACE} = 0 THEN substr(md5('b' || g), 1, 16)
         ELSE substr(md5('s' || (g - g %% {SPANS_PER_TRACE})), 1, 16) END,
    CASE WHEN g %% {SPANS_PER_TRACE} = 0 THEN 'GET /api/cart' ELSE 'SELECT shop' END,
    CASE WHEN g %% {SPANS_PER_TRACE} = 0 THEN 2 ELSE 3 END,
    CASE WHEN g %% 400 = 0 THEN 2 ELSE 0 END,
    '', 'shop-api', 'opentelemetry.instrumentation.django',
    {BASE_NS} + (g / {SPANS_PER_TRACE}) * 2000000000 + (g %% {SPANS_PER_TRACE}) * 1000000,
    {BASE_NS} + (g / {SPANS_PER_TRACE}) * 2000000000 + (g %% {SPANS_PER_TRACE}) * 1000000 + 5000000,
    5000000,
    jsonb_build_object(
        'session.id', md5('session' || (g / {SPANS_PER_TRACE} / {TRACES_PER_SESSION}))::uuid::text,
        'http.route', '/api/cart', 'http.response.status_code', 200,
        'url.path', '/api/cart/' || (g / {SPANS_PER_TRACE}), 'enduser.id', 'user-' || (g %% 5000),
        'db.system', 'postgresql', 'thread.id', g %% 64),
    '{{"service.name": "shop-api", "deployment.environment": "production"}}'::jsonb,
    '[]'::jsonb, '[]'::jsonb,
    md5('session' || (g / {SPANS_PER_TRACE} / {TRACES_PER_SESSION}))::uuid::text,
    CASE WHEN g %% {SPANS_PER_TRACE} = 0 THEN 200 END,
    g %% 400 = 0
FROM generate_series(%(start)s::bigint, %(stop)s::bigint - 1) AS g
"""


def _generate(total: int, org_ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM traces_span")
        if cursor.fetchone()[0] == total:
            print(f"reusing {total:,} spans")
            return
        print(f"generating {total:,} spans …", flush=True)
        started = time.perf_counter()
        cursor.execute("TRUNCATE traces_span")
        index_sql = {}
        for name in INDEXES:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
            index_sql[name] = cursor.fetchone()[0]
            cursor.execute(f"DROP INDEX {name}")
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            cursor.execute(INSERT, {"orgs": org_ids, "start": start, "stop": stop})
            print(f"  {stop:,} rows, {time.perf_counter() - started:.0f}s", flush=True)
        for name, sql in index_sql.items():
            cursor.execute(sql)
            print(f"  index {name}, {time.perf_counter() - started:.0f}s", flush=True)
        cursor.execute("VACUUM ANALYZE traces_span")
        print(f"generated in {time.perf_counter() - started:.0f}s", flush=True)


def _percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)

    def pick(p):
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return (
        f"p50 {pick(0.50):6.2f} ms   p95 {pick(0.95):6.2f} ms   p99 {pick(0.99):6.2f} ms   "
        f"mean {statistics.mean(ordered):6.2f} ms"
    )


def _time_each(fn, args) -> list[float]:
    samples = []
    for arg in args:
        start = time.perf_counter()
        fn(arg)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans", type=int, default=10_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    otlp_benchdb.setup(
        os.environ.get(
            "BENCH_LOOKUP_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/qorrelate_bench_otlp_lookup",
        )
    )
    from django.db import connection

    from apps.traces import selectors
    from apps.traces.api.serializers import SessionTracesSerializer, TraceDetailSerializer

    orgs = [otlp_benchdb.organization(f"bench-lookup-{i}") for i in range(ORGS)]
    _generate(args.spans, [o.pk for o in orgs])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('traces_span'))")
        size = cursor.fetchone()[0]
    target = orgs[0]
    sessions_total = args.spans // SPANS_PER_TRACE // TRACES_PER_SESSION
    traces_total = args.spans // SPANS_PER_TRACE
    rng = random.Random(7)
    session_nos = rng.sample(range(0, sessions_total, ORGS), args.lookups)
    trace_nos = [
        n * TRACES_PER_SESSION + rng.randrange(TRACES_PER_SESSION)
        for n in rng.sample(range(0, sessions_total, ORGS), args.lookups)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n, md5('session' || n)::uuid::text FROM unnest(%s::bigint[]) n", [session_nos]
        )
        session_ids = [row[1] for row in cursor.fetchall()]
        cursor.execute("SELECT md5('t' || n) FROM unnest(%s::bigint[]) n", [trace_nos])
        trace_ids = [row[0] for row in cursor.fetchall()]

    def session_lookup(session_id):
        result = selectors.session_traces(organization=target, session_id=session_id)
        data = SessionTracesSerializer(result).data
        assert len(data["traces"]) == TRACES_PER_SESSION, len(data["traces"])

    def trace_lookup(trace_id):
        data = TraceDetailSerializer(
            selectors.trace_get(organization=target, trace_id=trace_id)
        ).data
        assert len(data["spans"]) == SPANS_PER_TRACE

    print(
        f"{args.spans:,} spans in traces_span ({size} with indexes), {ORGS} organizations, "
        f"{traces_total:,} traces, {sessions_total:,} sessions; {args.lookups} random lookups "
        "in one organization, each id once"
    )
    session_ms = _time_each(session_lookup, session_ids)
    trace_ms = _time_each(trace_lookup, trace_ids)
    print("selector + serializer:")
    print(f"  session → traces ({TRACES_PER_SESSION} traces): {_percentiles(session_ms)}")
    print(f"  trace → spans    ({SPANS_PER_TRACE} spans):  {_percentiles(trace_ms)}")

    # The same lookups as API calls, through Django's whole stack in-process (middleware, API
    # key authentication, DRF, JSON rendering), for other ids of the same organization.
    from django.test import Client

    from apps.orgs.services import key_create

    _key, raw = key_create(organization=target, kind="api", name="bench", created_by=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def api_get(path):
        response = client.get(path)
        assert response.status_code == 200, response.content[:200]

    more_sessions = session_ids[len(session_ids) // 2 :]
    more_traces = trace_ids[len(trace_ids) // 2 :]
    print("GET through Django + DRF (in-process, second half of the ids again):")
    session_api = _time_each(api_get, [f"/api/v1/sessions/{s}/traces" for s in more_sessions])
    trace_api = _time_each(api_get, [f"/api/v1/traces/{t}" for t in more_traces])
    print(f"  /sessions/{{id}}/traces: {_percentiles(session_api)}")
    print(f"  /traces/{{trace_id}}:    {_percentiles(trace_api)}")


if __name__ == "__main__":
    main()
