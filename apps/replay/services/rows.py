"""Plain multi-row INSERTs for the small rows a batch brings (its requests' trace ids, its
timeline marks). They run on every batch, where ``bulk_create``'s per-call overhead was a fifth
of the intake's CPU. The SQL is portable (PostgreSQL and SQLite both know ``ON CONFLICT``)."""

import orjson
from django.db import DEFAULT_DB_ALIAS, connections

from ..analysis import Mark
from ..models import SessionTrace, TimelineMark
from . import sql


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple], suffix: str = "") -> None:
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Names come from model metadata and constants here; every value is a bound parameter.
    statement = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([one] * len(rows))}{suffix}"
    )
    sql.execute(statement, [value for row in rows for value in row])


def insert_trace_ids(*, organization_id: int, session_pk: int, traces: dict[str, int]) -> None:
    """Trace ids already known for the session are kept as they were (first seen wins)."""
    if not traces:
        return
    _insert(
        SessionTrace._meta.db_table,
        ("organization_id", "session_id", "trace_id", "ts_ms"),
        [(organization_id, session_pk, trace_id, ts) for trace_id, ts in traces.items()],
        " ON CONFLICT (session_id, trace_id) DO NOTHING",
    )


def insert_marks(*, organization_id: int, session_pk: int, marks: list[Mark]) -> None:
    if not marks:
        return
    _insert(
        TimelineMark._meta.db_table,
        ("organization_id", "session_id", "ts_ms", "kind", "label", "data"),
        [
            (
                organization_id,
                session_pk,
                m.ts_ms,
                m.kind,
                m.label[:500],
                orjson.dumps(m.data).decode(),
            )
            for m in marks
        ],
    )
