"""The cost of storing retries once, in isolation: the same converted rows written by a bare COPY
(the floor) and by the intake's write path (``apps.traces.storage.write_spans`` / ``write_logs``:
one COPY in autocommit, against the unique indexes), alternated round by round in one run; then
the retry path (every row already stored: temporary table + INSERT … ON CONFLICT DO NOTHING).

    .venv/bin/python benchmarks/otlp_dedupe_bench.py [--batches 20] [--rounds 12]

Uses BENCH_DATABASE_URL (default qorrelate_bench_otlp on 127.0.0.1), like otlp_bench.py.
"""

import argparse
import random
import statistics
import time
import uuid

import otlp_benchdb
import otlp_payloads


def _truncate(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")  # noqa: S608 — a fixed table name


def run(name, signal, make_request, table, copy_sql, write, organization, batches, rounds):
    from apps.traces import storage

    rng = random.Random(7)
    start_ns = 1_732_000_000_000_000_000
    rows = [
        list(signal.convert(make_request(rng, start_ns + i * 10**10)).rows) for i in range(batches)
    ]
    count = sum(map(len, rows))

    def floor():
        for batch in rows:
            storage._copy(copy_sql, organization.pk, batch)

    def write_all(expected):
        for batch in rows:
            stored = write(organization_id=organization.pk, rows=batch)
            assert stored == (len(batch) if expected else 0)

    rates = {"copy": [], "write": [], "retry": []}
    for round_no in range(rounds):
        order = ("copy", "write") if round_no % 2 == 0 else ("write", "copy")
        for which in order:
            _truncate(table)
            start = time.perf_counter()
            floor() if which == "copy" else write_all(True)
            rates[which].append(count / (time.perf_counter() - start))
        start = time.perf_counter()
        write_all(False)  # the table holds every row now: all duplicates
        rates["retry"].append(count / (time.perf_counter() - start))
    _truncate(table)
    paired = statistics.median(w / c for w, c in zip(rates["write"], rates["copy"], strict=True))
    best = {k: max(v) for k, v in rates.items()}
    print(
        f"{name:<12} {best['copy']:>10,.0f} {best['write']:>10,.0f} "
        f"{best['write'] / best['copy']:>6.0%} {paired:>7.0%} {best['retry']:>10,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20, help="batches of 512 per round")
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    otlp_benchdb.setup()
    from apps.ingestion.otlp.intake import LOGS, TRACES
    from apps.traces import storage

    organization = otlp_benchdb.organization(f"bench-dedupe-{uuid.uuid4().hex[:12]}")
    print(
        f"Store layer: {args.batches} batches × 512 per round, {args.rounds} rounds; best round, "
        "ratio of bests, median paired ratio; retry = every row already stored"
    )
    header = ("signal", "COPY/s", "write/s", "ratio", "paired", "retry/s")
    print("{:<12} {:>10} {:>10} {:>6} {:>7} {:>10}".format(*header))
    for name, signal, make, table, copy_sql, write in (
        ("spans", TRACES, otlp_payloads.traces_request, "traces_span", storage._SPAN_COPY,
         storage.write_spans),
        ("log records", LOGS, otlp_payloads.logs_request, "traces_logrecord", storage._LOG_COPY,
         storage.write_logs),
    ):  # fmt: skip
        run(name, signal, make, table, copy_sql, write, organization, args.batches, args.rounds)


if __name__ == "__main__":
    main()
