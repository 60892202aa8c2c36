"""``configure()``: tracer and logger providers exporting OTLP/HTTP to Qorrelate.

Uses the stock opentelemetry-sdk providers and the OTLP/HTTP (protobuf) exporters, with the
session processors in front of the batch processors and the ingest key as a Bearer token.
"""

import logging
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from opentelemetry import _logs, trace
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from .processors import SessionIdLogProcessor, SessionIdSpanProcessor


@dataclass
class Telemetry:
    """What :func:`configure` set up; keep it to flush or shut down (e.g. at process exit)."""

    tracer_provider: TracerProvider
    logger_provider: LoggerProvider
    logging_handler: logging.Handler

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        spans = self.tracer_provider.force_flush(timeout_millis)
        logs = self.logger_provider.force_flush(timeout_millis)
        return bool(spans and logs)

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.logger_provider.shutdown()


def _logging_handler(logger_provider: LoggerProvider, level: int) -> logging.Handler:
    # The SDK's handler is deprecated in favour of opentelemetry-instrumentation-logging's;
    # it still works and keeps this helper's dependencies to the SDK and the exporter.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return LoggingHandler(level=level, logger_provider=logger_provider)


def configure(
    *,
    endpoint: str,
    ingest_key: str,
    service_name: str,
    resource_attributes: Mapping[str, object] | None = None,
    set_global: bool = True,
    log_level: int = logging.INFO,
    compression: str = "gzip",
    timeout: float = 10.0,
) -> Telemetry:
    """Send this process's spans and logs to Qorrelate at ``endpoint`` (its base URL).

    With ``set_global`` (the default) the providers become OpenTelemetry's global ones and a
    handler on the root logger sends standard ``logging`` records at ``log_level`` and above.
    With ``set_global=False`` nothing global changes: use the returned providers and handler.
    """
    base = endpoint.rstrip("/")
    headers = {"Authorization": f"Bearer {ingest_key}"}
    codec = Compression(compression)
    resource = Resource.create({"service.name": service_name, **(resource_attributes or {})})

    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SessionIdSpanProcessor())
    tracer_provider.add_span_processor(
        BatchSpanProcessor(
            OTLPSpanExporter(
                endpoint=f"{base}/v1/traces", headers=headers, compression=codec, timeout=timeout
            )
        )
    )
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SessionIdLogProcessor())
    logger_provider.add_log_record_processor(
        BatchLogRecordProcessor(
            OTLPLogExporter(
                endpoint=f"{base}/v1/logs", headers=headers, compression=codec, timeout=timeout
            )
        )
    )
    handler = _logging_handler(logger_provider, log_level)
    if set_global:
        trace.set_tracer_provider(tracer_provider)
        _logs.set_logger_provider(logger_provider)
        logging.getLogger().addHandler(handler)
    return Telemetry(tracer_provider, logger_provider, handler)
