"""The OTLP/HTTP intake's stages (``apps.ingestion.pipeline``): ``POST /v1/traces`` and
``/v1/logs``, protobuf or JSON, optionally gzip, as the OTLP specification describes them.

check (POST; protobuf or JSON) → authenticate (the ingest key) → throttle → read body → decode
(protobuf/JSON → rows; invalid items are rejected, not stored: partial success) → store (quota,
then one statement, which the rows are converted into as it runs) → meter → respond in the
request's encoding.
"""

from dataclasses import dataclass
from itertools import chain

from django.http import HttpRequest, HttpResponse
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from apps.billing import quota
from apps.billing.models import Metric
from apps.core.errors import AuthenticationFailed
from apps.orgs.models import Organization
from apps.privacy.network_headers import denied_header_attributes
from apps.traces import services as traces_services

from ..pipeline.errors import IntakeError
from ..pipeline.limits import Limits, otlp_limits
from ..pipeline.stages import Ingested, Intake, media_type
from . import auth, responses
from .convert import Converted
from .decode import FORMATS, JSON, DecodeError, parse
from .logs import convert_logs
from .spans import convert_spans


@dataclass(frozen=True)
class Outcome:
    stored: int  # newly stored: a retry's items already stored are not counted
    rejected: int
    error_message: str


class TelemetryIntake(Intake[Converted, Outcome]):
    scope = "otlp"  # traces and logs share one request budget
    noun = "export requests"

    def __init__(
        self,
        *,
        name: str,
        items: str,
        request_class,
        response_class,
        partial_field: str,
        metric: str,
        convert,
        store_rows,
    ):
        self.name = name  # the URL path and billing's signal name
        self.items = items  # what partial-success messages count
        self.request_class = request_class
        self.response_class = response_class
        self.partial_field = partial_field
        self.metric = metric
        self.convert = convert
        self.store_rows = store_rows

    def limits(self) -> Limits:
        return otlp_limits()

    def check(self, request: HttpRequest) -> None:
        if request.method != "POST":
            raise IntakeError(405, "method_not_allowed", "Use POST.", headers={"Allow": "POST"})
        if media_type(request) not in FORMATS:
            raise IntakeError(
                415,
                "unsupported_media_type",
                "Content-Type must be application/x-protobuf or application/json.",
            )

    def authenticate(self, request: HttpRequest) -> Organization:
        try:
            return auth.authenticate(request)
        except AuthenticationFailed as exc:
            raise IntakeError(
                401, exc.code, exc.message, headers={"WWW-Authenticate": 'Bearer realm="otlp"'}
            ) from None

    def decode(self, body: bytes, *, organization: Organization, media_type: str) -> Converted:
        try:
            message = parse(body, FORMATS[media_type], self.request_class, self.name)
        except DecodeError as exc:
            raise IntakeError(400, "undecodable", str(exc)) from None
        # Captured HTTP headers the organization denies are never stored (as in replays).
        return self.convert(message, denied_header_attributes(organization=organization))

    def store(self, *, organization: Organization, decoded: Converted) -> Outcome:
        rows = decoded.rows
        first = next(rows, None)  # converts items up to the first valid one
        stored = 0
        if first is not None:
            # At most this many are stored: the rest of the rows are converted while storing.
            count = decoded.items - decoded.rejected
            quota.admit_telemetry(organization=organization, signal=self.name, count=count)
            # A retried item is accepted (it is stored already) but not counted again: ``stored``
            # is what is new, what billing meters; the reply rejects only invalid items.
            stored = self.store_rows(organization=organization, rows=chain((first,), rows))
        return Outcome(stored, decoded.rejected, decoded.error_message(self.items))

    def is_new(self, stored: Outcome) -> bool:
        return stored.stored > 0

    def usage(self, ingested: Ingested[Converted, Outcome]):
        yield self.metric, ingested.stored.stored

    def respond(self, request: HttpRequest, ingested) -> HttpResponse:
        outcome = ingested.stored
        return responses.success(
            _format(request),
            self.response_class,
            self.partial_field,
            outcome.rejected,
            outcome.error_message,
        )

    def refuse(self, request: HttpRequest, error: IntakeError) -> HttpResponse:
        return responses.error(_format(request), error)


def _format(request: HttpRequest) -> str:
    return FORMATS.get(media_type(request), JSON)


TRACES = TelemetryIntake(
    name="traces",
    items="spans",
    request_class=ExportTraceServiceRequest,
    response_class=ExportTraceServiceResponse,
    partial_field="rejected_spans",
    metric=Metric.SPANS_ACCEPTED,
    convert=convert_spans,
    store_rows=traces_services.spans_store,
)
LOGS = TelemetryIntake(
    name="logs",
    items="log records",
    request_class=ExportLogsServiceRequest,
    response_class=ExportLogsServiceResponse,
    partial_field="rejected_log_records",
    metric=Metric.LOG_RECORDS_ACCEPTED,
    convert=convert_logs,
    store_rows=traces_services.logs_store,
)
