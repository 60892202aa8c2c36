"""Qorrelate traces its own requests with opentelemetry-sdk, and can export them to itself."""

import time

import pytest
import requests

from apps.traces.models import Span
from tests.support.live import free_port, live_env, start_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_self_tracing_over_otlp_lands_qorrelates_own_spans_in_an_organization(
    settings, tmp_path, org_a, ingest_key
):
    raw = ingest_key(org_a)
    port = free_port()
    env = live_env(
        settings,
        tmp_path,
        QORRELATE_SELF_TRACING="otlp",
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{port}",
        OTEL_EXPORTER_OTLP_HEADERS=f"authorization=Bearer {raw}",
        OTEL_BSP_SCHEDULE_DELAY="200",
    )
    server = start_server(env, tmp_path / "gunicorn.log", workers=1, port=port)
    try:
        assert requests.get(f"{server.url}/accounts/login/", timeout=10).status_code == 200
        deadline = time.monotonic() + 15
        spans = []
        while time.monotonic() < deadline and not spans:
            spans = list(Span.objects.filter(organization=org_a, service_name="qorrelate"))
            time.sleep(0.2)
    finally:
        server.stop()
    assert spans, server.output()[-2000:]
    assert any("accounts/login" in (s.name + str(s.attributes)) for s in spans)
    # The OTLP intake's own requests are not traced (no feedback loop).
    assert not any("v1/traces" in (s.name + str(s.attributes)) for s in spans)
