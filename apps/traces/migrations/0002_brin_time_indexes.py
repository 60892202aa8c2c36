"""BRIN indexes on the time columns (PostgreSQL only; SQLite has no BRIN and skips this).

Rows arrive roughly in time order, so a BRIN index of a few pages lets retention and time-range
scans skip everything outside the range. See docs/benchmarks.md (OTLP intake) for the
measurement against declarative partitioning.
"""

from django.db import migrations

INDEXES = [
    ("span_start_brin", "traces_span", "start_time_unix_nano"),
    ("log_time_brin", "traces_logrecord", "time_unix_nano"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING brin ({column}) "
            "WITH (pages_per_range = 32)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("traces", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
