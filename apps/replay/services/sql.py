"""Running the intake's hand-written SQL: the hot path of every replay batch.

On PostgreSQL the statements go through a psycopg cursor with server-side parameters, so psycopg
prepares each one after a few uses and PostgreSQL stops parsing and planning it again (Django's
own cursors send parameters as literals inside the SQL text, which PostgreSQL parses and plans
anew every time: about half of its CPU per batch here). Errors still come out as Django's
(``IntegrityError``, ``DataError``, …). Other databases (SQLite for ``make run``) use Django's
cursor. ``DB_PREPARED_STATEMENTS=false`` turns preparation off (PgBouncer before 1.21 in
transaction mode cannot keep prepared statements).
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PREPARE_THRESHOLD = 1


def db():
    # The connection itself, not the ``django.db.connection`` proxy: each attribute read through
    # the proxy is a context-local lookup.
    return connections[DEFAULT_DB_ALIAS]


def postgresql() -> bool:
    return db().vendor == "postgresql"


def q(name: str) -> str:
    return db().ops.quote_name(name)


def execute(sql: str, params, *, fetch: bool = False) -> list[tuple]:
    """Run one statement; its rows when ``fetch``."""
    connection = db()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else []
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    # Django turns psycopg's preparation off (its cursors bind client-side and never prepare);
    # a statement run here is prepared from its second use on.
    raw.prepare_threshold = PREPARE_THRESHOLD if settings.DB_PREPARED_STATEMENTS else None
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else []
