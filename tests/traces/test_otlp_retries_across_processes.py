"""The same OTLP export retried against two live web processes (gunicorn, one worker each, one
database) is stored once: exactly one row per span and per log record, every reply a 200."""

import threading

import pytest
import requests
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from apps.traces.models import LogRecord, Span
from tests.support.live import live_env, start_server
from tests.traces.otlp import PROTOBUF, log_record, logs_request, span, traces_request

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_servers(settings, tmp_path):
    env = live_env(settings, tmp_path)
    servers = [start_server(env, tmp_path / f"gunicorn-{n}.log", workers=1) for n in ("a", "b")]
    yield servers
    for server in servers:
        server.stop()


def _post(server, path: str, body: bytes, key: str) -> requests.Response:
    return requests.post(
        server.url + path,
        data=body,
        headers={"Content-Type": PROTOBUF, "Authorization": f"Bearer {key}"},
        timeout=60,
    )


def _exports():
    spans = traces_request([span(name=f"span {n}") for n in range(50)])
    logs = logs_request([log_record(body=f"record {n}") for n in range(50)])
    return spans.SerializeToString(), logs.SerializeToString()


def test_an_export_retried_on_another_process_is_stored_once(two_servers, org_a, ingest_key):
    key = ingest_key(org_a)
    spans, logs = _exports()
    first, second = two_servers

    replies = [
        _post(server, path, body, key)
        for server in (first, second, first)
        for path, body in (("/v1/traces", spans), ("/v1/logs", logs))
    ]

    assert [r.status_code for r in replies] == [200] * 6
    assert not any(
        ExportTraceServiceResponse.FromString(r.content).HasField("partial_success")
        for r in replies[0::2]
    )
    assert not any(
        ExportLogsServiceResponse.FromString(r.content).HasField("partial_success")
        for r in replies[1::2]
    )
    assert Span.objects.filter(organization=org_a).count() == 50
    assert Span.objects.filter(organization=org_a).values("span_id").distinct().count() == 50
    assert LogRecord.objects.filter(organization=org_a).count() == 50


def test_retries_landing_at_the_same_moment_on_two_processes_are_stored_once(
    two_servers, org_a, ingest_key
):
    key = ingest_key(org_a)
    spans, logs = _exports()
    first, second = two_servers
    barrier = threading.Barrier(6)
    statuses = []

    def send(server, path, body):
        barrier.wait()
        statuses.append(_post(server, path, body, key).status_code)

    threads = [
        threading.Thread(target=send, args=(server, path, body))
        for server in (first, second, second)
        for path, body in (("/v1/traces", spans), ("/v1/logs", logs))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 6
    assert Span.objects.filter(organization=org_a).count() == 50
    assert LogRecord.objects.filter(organization=org_a).count() == 50
