"""Store an exporter's retries once: unique (organization, trace_id, span_id) for spans (replacing
the (organization, trace_id) index it covers) and a content hash for log records.

Duplicates stored before this migration are removed first (the oldest row of each is kept), or
the unique index could not be built.
"""

from django.db import migrations, models

_DELETE_DUPLICATE_SPANS = {
    "postgresql": """
        DELETE FROM traces_span a USING traces_span b
        WHERE a.organization_id = b.organization_id AND a.trace_id = b.trace_id
          AND a.span_id = b.span_id AND a.id > b.id
    """,
    "default": """
        DELETE FROM traces_span WHERE id NOT IN (
            SELECT MIN(id) FROM traces_span GROUP BY organization_id, trace_id, span_id
        )
    """,
}


def delete_duplicate_spans(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(_DELETE_DUPLICATE_SPANS.get(vendor, _DELETE_DUPLICATE_SPANS["default"]))


class Migration(migrations.Migration):
    dependencies = [("traces", "0002_brin_time_indexes")]

    operations = [
        migrations.RunPython(delete_duplicate_spans, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="span", name="span_org_trace"),
        migrations.AddConstraint(
            model_name="span",
            constraint=models.UniqueConstraint(
                fields=("organization", "trace_id", "span_id"), name="span_org_trace_span_unique"
            ),
        ),
        migrations.AddField(
            model_name="logrecord",
            name="content_hash",
            field=models.BinaryField(blank=True, editable=False, max_length=16, null=True),
        ),
        migrations.AddConstraint(
            model_name="logrecord",
            constraint=models.UniqueConstraint(
                fields=("organization", "time_unix_nano", "content_hash"),
                name="log_org_time_content_unique",
            ),
        ),
    ]
