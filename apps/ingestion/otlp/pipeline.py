"""One OTLP request body → stored rows: decode, convert, admit (quota), store, meter."""

import logging
from dataclasses import dataclass

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from apps.billing import metering, quota
from apps.orgs.models import Organization
from apps.traces import services as traces_services

from .decode import parse
from .logs import convert_logs
from .spans import convert_spans

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signal:
    name: str  # "traces" or "logs": the URL path and the quota's signal
    noun: str  # what partial-success messages count
    request_class: type
    response_class: type
    partial_field: str
    metric: str
    convert: object
    store: object


TRACES = Signal(
    name="traces",
    noun="spans",
    request_class=ExportTraceServiceRequest,
    response_class=ExportTraceServiceResponse,
    partial_field="rejected_spans",
    metric="spans_accepted",
    convert=convert_spans,
    store=traces_services.spans_store,
)
LOGS = Signal(
    name="logs",
    noun="log records",
    request_class=ExportLogsServiceRequest,
    response_class=ExportLogsServiceResponse,
    partial_field="rejected_log_records",
    metric="log_records_accepted",
    convert=convert_logs,
    store=traces_services.logs_store,
)


@dataclass(frozen=True)
class Outcome:
    accepted: int
    rejected: int
    error_message: str


def ingest(*, organization: Organization, signal: Signal, body: bytes, fmt: str) -> Outcome:
    """Store what is valid in ``body``. Raises DecodeError (400), QuotaExceeded (429) and
    database errors (503); the items are stored in one statement or not at all."""
    message = parse(body, fmt, signal.request_class, signal.name)
    converted = signal.convert(message)
    rows = converted.rows
    if rows:
        quota.admit_telemetry(organization=organization, signal=signal.name, count=len(rows))
        signal.store(organization=organization, rows=rows)
        try:
            metering.record(organization_id=organization.pk, metric=signal.metric, amount=len(rows))
        except Exception:  # the data is stored; a metering hiccup must not make clients resend
            logger.exception("metering failed", extra={"organization_id": organization.pk})
    return Outcome(len(rows), converted.rejected, converted.error_message(signal.noun))
