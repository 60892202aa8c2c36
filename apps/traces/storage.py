"""Bulk writes of spans and log records: COPY on PostgreSQL, bulk_create elsewhere (SQLite).

COPY is one statement per batch, so a batch is stored entirely or not at all; the receiver
acknowledges only after it returns.

Exporters retry (a timeout, a 503, a load balancer sending the retry to another web process), so
the same span or log record can arrive twice; unique indexes (models.py) keep one copy. The common
case, a batch with nothing already stored, stays one plain COPY (inside a savepoint when the caller
has a transaction open). Only when that COPY hits the unique index (a retry) is the batch written
again the slow way: COPY into a temporary table, then ``INSERT … SELECT … ON CONFLICT DO NOTHING``,
which counts the rows that were new. Writers return that count so billing meters only what was
stored.
"""

from collections.abc import Iterable, Iterator

import orjson
import psycopg.errors
from django.db import connection, transaction

from .models import LogRecord, Span
from .rows import JSON_FIELDS, LogRow, SpanRow

_BULK_CREATE_BATCH = 500
_STAGING = "qorrelate_staging"


def _columns(row_type) -> str:
    return ", ".join(["organization_id", *row_type._fields])


def _copy_sql(model, row_type) -> str:
    return f"COPY {model._meta.db_table} ({_columns(row_type)}) FROM STDIN"  # noqa: S608


def _staging_sql(model, row_type) -> tuple[str, str, str]:
    """(create the staging table, COPY into it, move its new rows into the real table)."""
    table, columns = model._meta.db_table, _columns(row_type)
    return (
        # Same column types, none of the constraints; dropped at the end of the transaction.
        f"CREATE TEMP TABLE {_STAGING} ON COMMIT DROP AS "  # noqa: S608 — fixed names
        f"SELECT {columns} FROM {table} WITH NO DATA",
        f"COPY {_STAGING} ({columns}) FROM STDIN",
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_STAGING} "  # noqa: S608
        "ON CONFLICT DO NOTHING",
    )


_SPAN_COPY = _copy_sql(Span, SpanRow)
_LOG_COPY = _copy_sql(LogRecord, LogRow)
_SPAN_STAGING = _staging_sql(Span, SpanRow)
_LOG_STAGING = _staging_sql(LogRecord, LogRow)


def _copy(sql: str, organization_id: int, rows: Iterable[tuple]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row((organization_id, *row))


def _kept(rows: Iterator[tuple], kept: list) -> Iterator[tuple]:
    for row in rows:
        kept.append(row)
        yield row


def _copy_new(copy_sql: str, staging, organization_id: int, rows: Iterable[tuple]) -> int:
    """Store the rows not stored yet; returns how many that was. ``rows`` may be made while
    they are written (an iterator): each is kept, for the retry path."""
    rows = iter(rows)
    kept = []
    try:
        if connection.in_atomic_block:
            # A savepoint: a failed COPY must not end the caller's transaction.
            with transaction.atomic():
                _copy(copy_sql, organization_id, _kept(rows, kept))
        else:
            # Autocommit: the COPY is a transaction of its own, as in the bare COPY (no BEGIN
            # and COMMIT round trips around it); failing, it stores nothing.
            _copy(copy_sql, organization_id, _kept(rows, kept))
        return len(kept)
    except psycopg.errors.UniqueViolation:
        # A retry: some rows are stored already (possibly by another process just now).
        kept.extend(rows)  # any the COPY had not asked for when it failed
    create, copy_in, move = staging
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(create)
        _copy(copy_in, organization_id, kept)
        cursor.execute(move)
        stored = cursor.rowcount
        # Inside an outer transaction ON COMMIT comes later; the next batch needs the name.
        cursor.execute(f"DROP TABLE {_STAGING}")
    return stored


def _bulk_create(model, row_type, organization_id: int, rows: Iterable[tuple]) -> int:
    json_fields = JSON_FIELDS[row_type]
    objects = []
    for row in rows:
        values = row._asdict()
        for field in json_fields:
            values[field] = orjson.loads(values[field])
        objects.append(model(organization_id=organization_id, **values))
    # SQLite (make run) only: INSERT OR IGNORE gives no count, so count around it.
    existing = model.objects.filter(organization_id=organization_id)
    with transaction.atomic():
        before = existing.count()
        model.objects.bulk_create(objects, batch_size=_BULK_CREATE_BATCH, ignore_conflicts=True)
        return existing.count() - before


def write_spans(*, organization_id: int, rows: Iterable[SpanRow]) -> int:
    """Store spans once per (organization, trace id, span id); returns how many were new."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy_new(_SPAN_COPY, _SPAN_STAGING, organization_id, rows)
    return _bulk_create(Span, SpanRow, organization_id, rows)


def write_logs(*, organization_id: int, rows: Iterable[LogRow]) -> int:
    """Store log records once per (organization, time, content hash); returns how many were new."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _copy_new(_LOG_COPY, _LOG_STAGING, organization_id, rows)
    return _bulk_create(LogRecord, LogRow, organization_id, rows)
