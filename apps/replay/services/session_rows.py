"""The session and batch rows of one incoming batch in plain SQL: the intake's hot path.

The ORM built and compiled the same few statements on every batch (a select of the session's
fifty columns, an insert, an update of thirty) and that was most of the intake's CPU. The SQL
here is prepared once per process from the models' metadata; values still go through each
field's own conversion (``get_db_prep_save`` / ``from_db_value``), so JSON, datetimes and the
like are stored and read exactly as the ORM would. PostgreSQL and SQLite both run it.
"""

from functools import cache

from django.db import connection
from django.utils import timezone

from ..models import Batch, Session


@cache
def _session_fields():
    return list(Session._meta.concrete_fields)


@cache
def _insert_fields():
    return [f for f in _session_fields() if not f.primary_key]


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
        f"WHERE b.{_q(batch.get_field('session').column)} = s.{_q('id')} AND b.{_q('seq')} = %s)"
    )
    lock = " FOR UPDATE OF s" if for_update else ""
    return (
        f"SELECT {columns}, {exists} FROM {_q(Session._meta.db_table)} s "  # noqa: S608
        f"WHERE s.{_q('organization_id')} = %s AND s.{_q('session_id')} = %s{lock}"
    )


@cache
def _converters():
    return [
        (i, f.get_db_converters(connection))
        for i, f in enumerate(_session_fields())
        if f.get_db_converters(connection)
    ]


def lock_session(*, organization_id: int, session_id: str, seq: int) -> tuple[Session, bool] | None:
    """The session row, locked until the transaction ends, and whether ``seq`` is stored."""
    for_update = connection.features.has_select_for_update_of
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(for_update), [seq, organization_id, session_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[:-1])
    for i, converters in _converters():
        for converter in converters:
            values[i] = converter(values[i], None, connection)
    fields = _session_fields()
    session = Session.from_db(connection.alias, [f.attname for f in fields], values)
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
    values = [
        f.get_db_prep_save(f.pre_save(session, True), connection=connection)
        for f in _insert_fields()
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), values)
        row = cursor.fetchone()
    if row is None:
        return False
    session.pk = row[0]
    session._state.adding = False
    session._state.db = connection.alias
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
    sql = (
        f"UPDATE {_q(meta.db_table)} SET "  # noqa: S608 - names from metadata
        + ", ".join(f"{_q(f.column)} = %s" for f in changed)
        + f" WHERE {_q('id')} = %s"
    )
    values = [
        f.get_db_prep_save(getattr(session, f.attname), connection=connection) for f in changed
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, session.pk])


@cache
def _batch_sql() -> str:
    columns = (
        "organization_id",
        "session_id",
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
    seq: int,
    key: str,
    event_count: int,
    first_ms: int | None,
    last_ms: int | None,
    size: int,
    raw_size: int,
    has_full_snapshot: bool,
) -> None:
    """A (session, seq) stored before raises IntegrityError (the unique constraint)."""
    received_at = Batch._meta.get_field("received_at").get_db_prep_save(
        timezone.now(), connection=connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _batch_sql(),
            [
                organization_id,
                session_pk,
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
