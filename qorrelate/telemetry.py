"""Qorrelate traces its own requests with opentelemetry-sdk when QORRELATE_SELF_TRACING asks."""

import logging

logger = logging.getLogger(__name__)
_configured = False
EXCLUDED_URLS = "v1/traces,v1/logs,ingest/v1/replay,healthz,readyz,static/"


def configure_self_tracing(mode: str) -> None:
    """``off`` (default), ``console`` or ``otlp`` (uses the standard OTEL_EXPORTER_OTLP_* vars)."""
    global _configured
    if _configured or mode in ("", "off"):
        return
    from opentelemetry import trace
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    if mode == "console":
        exporter = ConsoleSpanExporter()
    elif mode == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    else:
        logger.warning("Unknown QORRELATE_SELF_TRACING=%r; self-tracing stays off", mode)
        return
    provider = TracerProvider(resource=Resource.create({"service.name": "qorrelate"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    # Intake and probes are not traced: exporting to a Qorrelate that traces its own OTLP intake
    # would feed itself one span per export forever.
    DjangoInstrumentor().instrument(excluded_urls=EXCLUDED_URLS)
    _configured = True
