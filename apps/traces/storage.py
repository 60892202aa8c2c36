"""Bulk writes of spans and log records: COPY on PostgreSQL, bulk_create elsewhere (SQLite).

COPY is one statement per batch, so a batch is stored entirely or not at all; the receiver
acknowledges only after it returns.
"""

from collections.abc import Sequence

import orjson
from django.db import connection, transaction

from .models import LogRecord, Span
from .rows import JSON_FIELDS, LogRow, SpanRow

_BULK_CREATE_BATCH = 500


def _copy_sql(model, row_type) -> str:
    columns = ", ".join(["organization_id", *row_type._fields])
    return f"COPY {model._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608 — fixed names


_SPAN_COPY = _copy_sql(Span, SpanRow)
_LOG_COPY = _copy_sql(LogRecord, LogRow)


def _copy(sql: str, organization_id: int, rows: Sequence[tuple]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row((organization_id, *row))


def _bulk_create(model, row_type, organization_id: int, rows: Sequence[tuple]) -> None:
    json_fields = JSON_FIELDS[row_type]
    objects = []
    for row in rows:
        values = row._asdict()
        for field in json_fields:
            values[field] = orjson.loads(values[field])
        objects.append(model(organization_id=organization_id, **values))
    with transaction.atomic():
        model.objects.bulk_create(objects, batch_size=_BULK_CREATE_BATCH)


def write_spans(*, organization_id: int, rows: Sequence[SpanRow]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(_SPAN_COPY, organization_id, rows)
    else:
        _bulk_create(Span, SpanRow, organization_id, rows)


def write_logs(*, organization_id: int, rows: Sequence[LogRow]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(_LOG_COPY, organization_id, rows)
    else:
        _bulk_create(LogRecord, LogRow, organization_id, rows)
