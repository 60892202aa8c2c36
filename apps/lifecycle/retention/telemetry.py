"""Old spans and log records, in bounded batches. Telemetry of a session that is still kept
stays with it (its own retention decides); tombstones and unknown session ids do not protect."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from apps.orgs.models import Organization
from apps.replay.models import SamplingState, Session
from apps.traces.models import LogRecord, Span


def _protected(organization: Organization):
    return Exists(
        Session.objects.filter(organization=organization, session_id=OuterRef("session_id"))
        .exclude(sampling_state=SamplingState.DROPPED)
        .values("pk")
    )


def old_spans(*, organization: Organization, cutoff_ns: int):
    return (
        Span.objects.filter(organization=organization, start_time_unix_nano__lt=cutoff_ns)
        .alias(protected=_protected(organization))
        .filter(Q(session_id="") | Q(protected=False))
    )


def old_logs(*, organization: Organization, cutoff_ns: int):
    return (
        LogRecord.objects.filter(organization=organization, time_unix_nano__lt=cutoff_ns)
        .alias(protected=_protected(organization))
        .filter(Q(session_id="") | Q(protected=False))
    )


def cutoff_ns(*, as_of: datetime, days: int) -> int:
    return int((as_of - timedelta(days=days)).timestamp() * 1_000_000_000)


def delete_in_batches(
    queryset, *, chunk: int, on_batch: Callable[[int], None] | None = None
) -> int:
    """Delete the queryset's rows ``chunk`` at a time (short transactions, resumable)."""
    total = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        # Nothing references spans or logs, so this is one DELETE (Django's fast delete).
        deleted, _ = queryset.model.objects.filter(pk__in=ids).delete()
        total += deleted
        if on_batch is not None:
            on_batch(deleted)
        if deleted == 0:
            return total
