"""Per-trace summaries (root span, duration, error flag) computed in two indexed queries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Min, Q

from apps.orgs.models import Organization

from .models import Span

ROOT_FIELDS = (
    "trace_id",
    "span_id",
    "name",
    "service_name",
    "kind",
    "status_code",
    "http_status_code",
    "start_time_unix_nano",
)


@dataclass
class RootSpan:
    span_id: str
    name: str
    service_name: str
    kind: int
    status_code: int
    http_status_code: int | None


@dataclass
class TraceSummary:
    trace_id: str
    root: RootSpan | None
    start_time_unix_nano: int
    end_time_unix_nano: int
    span_count: int
    error_count: int
    offset_ms: float | None = None

    @property
    def duration_ms(self) -> float:
        return max(self.end_time_unix_nano - self.start_time_unix_nano, 0) / 1e6

    @property
    def is_error(self) -> bool:
        return self.error_count > 0


def _root(row: dict) -> RootSpan:
    return RootSpan(
        span_id=row["span_id"],
        name=row["name"],
        service_name=row["service_name"],
        kind=row["kind"],
        status_code=row["status_code"],
        http_status_code=row["http_status_code"],
    )


def summarize(*, organization: Organization, trace_ids: Iterable[str]) -> dict[str, TraceSummary]:
    """Summaries of the given traces of this organization, keyed by trace id (missing ids are
    absent). The root is the earliest span without a parent, else (the parent is outside what
    we store, e.g. a browser span) the earliest span of the trace."""
    ids = sorted(set(trace_ids))
    if not ids:
        return {}
    spans = Span.objects.filter(organization=organization, trace_id__in=ids)
    summaries = {
        row["trace_id"]: TraceSummary(
            trace_id=row["trace_id"],
            root=None,
            start_time_unix_nano=row["start"],
            end_time_unix_nano=row["end"],
            span_count=row["span_count"],
            error_count=row["error_count"],
        )
        for row in spans.values("trace_id")
        .order_by()
        .annotate(
            start=Min("start_time_unix_nano"),
            end=Max("end_time_unix_nano"),
            span_count=Count("id"),
            error_count=Count("id", filter=Q(is_error=True)),
        )
    }
    for row in _roots(spans):
        summaries[row["trace_id"]].root = _root(row)
    return summaries


def _roots(spans):
    """Per trace, its earliest parentless span, else its earliest span."""
    if connection.vendor == "postgresql":
        # DISTINCT ON picks one row per trace in the same index scan.
        return (
            spans.annotate(has_parent=~Q(parent_span_id=""))
            .order_by("trace_id", "has_parent", "start_time_unix_nano", "id")
            .distinct("trace_id")
            .values(*ROOT_FIELDS)
        )
    picked: dict[str, dict] = {}
    for row in spans.order_by("start_time_unix_nano", "id").values(*ROOT_FIELDS, "parent_span_id"):
        current = picked.get(row["trace_id"])
        if current is None or (current["parent_span_id"] and not row["parent_span_id"]):
            picked[row["trace_id"]] = row
    return picked.values()
