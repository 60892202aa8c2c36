"""A tracer and a logger wired like ``configure()`` does, exporting to memory (not global)."""

import logging
from dataclasses import dataclass

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from qorrelate_otel import SessionIdLogProcessor, SessionIdSpanProcessor
from qorrelate_otel.providers import _logging_handler


@dataclass
class Captured:
    tracer: object
    logger: logging.Logger
    spans: InMemorySpanExporter
    logs: InMemoryLogRecordExporter

    def span_sessions(self) -> dict[str, object]:
        return {s.name: s.attributes.get("session.id") for s in self.spans.get_finished_spans()}

    def log_sessions(self) -> dict[str, object]:
        return {
            r.log_record.body: r.log_record.attributes.get("session.id")
            for r in self.logs.get_finished_logs()
        }


@pytest.fixture
def captured():
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SessionIdSpanProcessor())
    spans = InMemorySpanExporter()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SessionIdLogProcessor())
    logs = InMemoryLogRecordExporter()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs))
    logger = logging.getLogger("tests.otel_helper.app")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = _logging_handler(logger_provider, logging.INFO)
    logger.addHandler(handler)
    yield Captured(tracer_provider.get_tracer("tests"), logger, spans, logs)
    logger.removeHandler(handler)
    tracer_provider.shutdown()
    logger_provider.shutdown()
