"""The session and batch rows of one incoming batch in plain SQL: the intake's hot path.

The ORM built and compiled the same few statements on every batch (a select of the session's
fifty columns, an insert, an update of thirty) and that was most of the intake's CPU. The SQL
here is prepared once per process from the models' metadata; values still go through each
field's own conversion (``get_db_prep_save`` / ``from_db_value``), so JSON, datetimes and the
like are stored and read exactly as the ORM would. PostgreSQL and SQLite both run it.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from ..models import Batch, Session
from . import sql


@cache
def _session_fields():
    return list(Session._meta.concrete_fields)


@cache
def _insert_fields():
    return [f for f in _session_fields() if not f.primary_key]


# Values of these field types are stored as they are; the others (JSON, datetimes) go through
# their field's conversion for the database.
_PLAIN_TYPES = frozenset(
    {
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "TextField",
    }
)


def _db():
    # The connection itself, not the ``django.db.connection`` proxy: each attribute read
    # through the proxy is a context-local lookup, and the field conversions read many.
    return connections[DEFAULT_DB_ALIAS]


def _prep(field, value, db):
    if field.get_internal_type() in _PLAIN_TYPES:
        return value
    return field.get_db_prep_save(value, connection=db)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _select_sql(for_update: bool) -> str:
    columns = ", ".join(f"s.{_q(f.column)}" for f in _session_fields())
    batch = Batch._meta
    # Every batch of a session is inserted with the session row locked (here), so the
    # duplicate check below cannot race; the unique constraint stays the last word anyway.
    exists = (
        f"EXISTS (SELECT 1 FROM {_q(batch.db_table)} b "  # noqa: S608 - names from metadata
        f"WHERE b.{_q(batch.get_field('session').column)} = s.{_q('id')} "
        f"AND b.{_q('window_id')} = %s AND b.{_q('seq')} = %s)"
    )
    lock = " FOR UPDATE OF s" if for_update else ""
    return (
        f"SELECT {columns}, {exists} FROM {_q(Session._meta.db_table)} s "  # noqa: S608
        f"WHERE s.{_q('organization_id')} = %s AND s.{_q('session_id')} = %s{lock}"
    )


@cache
def _attnames() -> list[str]:
    return [f.attname for f in _session_fields()]


@cache
def _converters():
    return [
        (i, f.get_db_converters(connection))
        for i, f in enumerate(_session_fields())
        if f.get_db_converters(connection)
    ]


def lock_session(
    *, organization_id: int, session_id: str, window_id: str, seq: int
) -> tuple[Session, bool] | None:
    """The session row, locked until the transaction ends, and whether the window's ``seq``
    is stored."""
    db = _db()
    found = sql.execute(
        _select_sql(db.features.has_select_for_update_of),
        [window_id, seq, organization_id, session_id],
        fetch=True,
    )
    if not found:
        return None
    row = found[0]
    values = list(row[:-1])
    for i, converters in _converters():
        for converter in converters:
            values[i] = converter(values[i], None, db)
    session = Session.from_db(db.alias, _attnames(), values)
    return session, bool(row[-1])


@cache
def _insert_sql() -> str:
    fields = _insert_fields()
    return (
        f"INSERT INTO {_q(Session._meta.db_table)} "  # noqa: S608 - names from metadata
        f"({', '.join(_q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({_q('organization_id')}, {_q('session_id')}) DO NOTHING "
        f"RETURNING {_q('id')}"
    )


def insert_session(session: Session) -> bool:
    """Insert a new session row; False (and nothing written) if the session exists already,
    which the caller then locks and updates instead."""
    db = _db()
    values = [_prep(f, f.pre_save(session, True), db) for f in _insert_fields()]
    found = sql.execute(_insert_sql(), values, fetch=True)
    if not found:
        return False
    row = found[0]
    session.pk = row[0]
    session._state.adding = False
    session._state.db = db.alias
    return True


def snapshot(session: Session, names: tuple[str, ...]) -> tuple:
    return tuple(getattr(session, name) for name in names)


def update_session(session: Session, names: tuple[str, ...], before: tuple) -> None:
    """Write the fields among ``names`` that differ from ``before`` (and ``updated_at``)."""
    session.updated_at = timezone.now()
    meta = Session._meta
    changed = [
        meta.get_field(name)
        for name, old in zip(names, before, strict=True)
        if name == "updated_at" or getattr(session, name) != old
    ]
    statement = (
        f"UPDATE {_q(meta.db_table)} SET "  # noqa: S608 - names from metadata
        + ", ".join(f"{_q(f.column)} = %s" for f in changed)
        + f" WHERE {_q('id')} = %s"
    )
    db = _db()
    values = [_prep(f, getattr(session, f.attname), db) for f in changed]
    sql.execute(statement, [*values, session.pk])


@cache
def _batch_sql() -> str:
    columns = (
        "organization_id",
        "session_id",
        "window_id",
        "seq",
        "key",
        "event_count",
        "first_ms",
        "last_ms",
        "bytes",
        "raw_bytes",
        "has_full_snapshot",
        "received_at",
    )
    return (
        f"INSERT INTO {_q(Batch._meta.db_table)} "  # noqa: S608 - names from metadata
        f"({', '.join(_q(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )


def insert_batch(
    *,
    organization_id: int,
    session_pk: int,
    window_id: str,
    seq: int,
    key: str,
    event_count: int,
    first_ms: int | None,
    last_ms: int | None,
    size: int,
    raw_size: int,
    has_full_snapshot: bool,
) -> None:
    """A (session, window_id, seq) stored before raises IntegrityError (the unique constraint)."""
    db = _db()
    received_at = _prep(Batch._meta.get_field("received_at"), timezone.now(), db)
    sql.execute(
        _batch_sql(),
        [
            organization_id,
            session_pk,
            window_id,
            seq,
            key,
            event_count,
            first_ms,
            last_ms,
            size,
            raw_size,
            has_full_snapshot,
            received_at,
        ],
    )
