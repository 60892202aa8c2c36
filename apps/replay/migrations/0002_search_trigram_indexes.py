"""Trigram indexes for "URL contains" and "error text contains" searches, on PostgreSQL only.

Django's ``icontains`` becomes ``UPPER(col::text) LIKE UPPER(%s)`` on PostgreSQL, so the index is
on that expression. SQLite (the embedded ``make run`` database) has no pg_trgm; it scans, which
is fine at its scale.
"""

from django.db import migrations

INDEXES = {
    "replay_sess_url_trgm": "url_text",
    "replay_sess_error_trgm": "error_text",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON replay_session "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("replay", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
