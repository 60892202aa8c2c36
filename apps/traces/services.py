"""Writes for spans and log records (keyword-only, organization first)."""

from collections.abc import Iterable

from apps.orgs.models import Organization

from . import storage
from .models import LogRecord, Span
from .rows import LogRow, SpanRow


def spans_store(*, organization: Organization, rows: Iterable[SpanRow]) -> int:
    """Store a batch of spans (a retried span is stored once); returns how many were new."""
    return storage.write_spans(organization_id=organization.pk, rows=rows)


def logs_store(*, organization: Organization, rows: Iterable[LogRow]) -> int:
    """Store a batch of log records (a retried record is stored once); returns how many were
    new."""
    return storage.write_logs(organization_id=organization.pk, rows=rows)


def telemetry_delete_before(
    *, organization: Organization, before_unix_nano: int, batch_size: int = 10_000
) -> tuple[int, int]:
    """Delete this organization's spans and log records older than a time, in batches.

    Batches keep each transaction (and its locks and WAL burst) short. The time predicates use
    the (organization, start time) index for spans and the BRIN time index for logs. Returns
    (spans deleted, log records deleted). Keeping data linked to tickets is the caller's job
    (retention sits above tickets): pass a cutoff per organization.
    """
    return (
        _delete_in_batches(
            Span.objects.filter(
                organization=organization, start_time_unix_nano__lt=before_unix_nano
            ),
            batch_size,
        ),
        _delete_in_batches(
            LogRecord.objects.filter(
                organization=organization, time_unix_nano__lt=before_unix_nano
            ),
            batch_size,
        ),
    )


def _delete_in_batches(queryset, batch_size: int) -> int:
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        deleted, _ = queryset.model.objects.filter(pk__in=ids).delete()
        if not deleted:
            return total
        total += deleted
