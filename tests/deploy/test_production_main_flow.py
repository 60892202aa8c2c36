"""The issue's main flow, production way: sign up, recorder batches in, OTLP in, then the session
and its traces come out of the REST API.

Intake and read endpoints belong to other domains (replay ingestion, OTLP intake). Until their
URLs resolve, this test is an expected failure that names what is missing; it never passes
silently.
"""

import gzip
import json
import secrets
import time
import uuid

import pytest
from django.urls import Resolver404, resolve

from tests.deploy.conftest import HOST
from tests.deploy.proxied_client import ProxiedClient
from tests.deploy.test_production_mode import sign_up, wait_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

SAMPLE_SESSION = "0b3a7a6e-1111-4111-8111-111111111111"
SAMPLE_TRACE = "0af7651916cd43dd8448eb211c80319c"
NEEDED = {
    "/ingest/v1/replay": "replay intake (issue 4)",
    "/v1/traces": "OTLP traces intake (issue 5)",
    f"/api/v1/sessions/{SAMPLE_SESSION}": "session detail API (issue 4)",
    f"/api/v1/sessions/{SAMPLE_SESSION}/traces": "session → traces API (issue 5)",
    f"/api/v1/traces/{SAMPLE_TRACE}": "trace detail API (issue 5)",
}


def missing_endpoints() -> list[str]:
    missing = []
    for path, what in NEEDED.items():
        try:
            resolve(path)
        except Resolver404:
            missing.append(f"{path} ({what})")
    return missing


def recorder_batch(org_id: str, session_id: str, trace_id: str, span_id: str) -> dict:
    now = int(time.time() * 1000)
    page = "https://shop.example/checkout"
    return {
        "org": org_id,
        "session_id": session_id,
        "previous_session_id": None,
        "seq": 0,
        "sent_at": now,
        "ended": False,
        "page": {"url": page, "title": "Checkout", "referrer": ""},
        "meta": {
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36",
            "viewport": {"width": 1280, "height": 720},
            "sdk": "qorrelate-js/0.1.0",
            "privacy_mode": "mask-inputs",
            "sample_rate": 100,
        },
        "user": {"id": "user-42", "traits": {"plan": "pro"}},
        "events": [
            {"type": 4, "data": {"href": page, "width": 1280, "height": 720}, "timestamp": now},
            {
                "type": 2,
                "data": {
                    "node": {"type": 0, "childNodes": [], "id": 1},
                    "initialOffset": {"left": 0, "top": 0},
                },
                "timestamp": now + 1,
            },
            {
                "type": 5,
                "data": {
                    "tag": "qorrelate.network",
                    "payload": {
                        "method": "POST",
                        "url": "https://shop.example/api/checkout",
                        "status": 500,
                        "duration_ms": 25,
                        "size": 120,
                        "trace_id": trace_id,
                        "span_id": span_id,
                        "session_header": True,
                        "initiator": "fetch",
                        "error": None,
                    },
                },
                "timestamp": now + 50,
            },
        ],
    }


def otlp_traces(session_id: str, trace_id: str, span_id: str) -> dict:
    start = time.time_ns() - 2_000_000_000

    def attribute(key, **value):
        return {"key": key, "value": value}

    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [attribute("service.name", stringValue="shop-api")]},
                "scopeSpans": [
                    {
                        "scope": {"name": "deploy-test"},
                        "spans": [
                            {
                                "traceId": trace_id,
                                "spanId": span_id,
                                "name": "POST /api/checkout",
                                "kind": 2,
                                "startTimeUnixNano": str(start),
                                "endTimeUnixNano": str(start + 25_000_000),
                                "attributes": [
                                    attribute("session.id", stringValue=session_id),
                                    attribute("http.response.status_code", intValue="500"),
                                ],
                                "status": {"code": 2, "message": "boom"},
                            }
                        ],
                    }
                ],
            }
        ]
    }


def create_key(client: ProxiedClient, **fields) -> str:
    reply = client.post(
        "/api/v1/keys",
        data=fields,
        headers={"X-CSRFToken": client.cookies["csrftoken"], "Origin": client.origin},
    )
    assert reply.status == 201, reply.text
    return reply.json()["secret"]


def test_recorder_batches_and_otlp_come_back_as_one_session_with_its_traces(
    production_web, production_workers
):
    missing = missing_endpoints()
    if missing:
        pytest.xfail("waiting for other domains' endpoints: " + "; ".join(missing))
    client = ProxiedClient(production_web.url, HOST)
    sign_up(client, "flow@acme.test")
    org_id = client.get("/api/v1/organization").json()["data_org_id"]
    ingest_key = create_key(client, kind="ingest", name="deploy-test")
    api_key = create_key(client, kind="api", name="deploy-test", scope="read")
    session_id, trace_id, span_id = str(uuid.uuid4()), secrets.token_hex(16), secrets.token_hex(8)

    recorder = ProxiedClient(production_web.url, HOST)
    batch = gzip.compress(
        json.dumps(recorder_batch(org_id, session_id, trace_id, span_id)).encode()
    )
    stored = recorder.post(
        f"/ingest/v1/replay?org={org_id}",
        body=batch,
        headers={
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Origin": "https://shop.example",
        },
    )
    assert stored.status == 200, stored.text
    assert stored.json()["ok"] is True

    backend = ProxiedClient(production_web.url, HOST)
    exported = backend.post(
        "/v1/traces",
        data=otlp_traces(session_id, trace_id, span_id),
        headers={"Authorization": f"Bearer {ingest_key}"},
    )
    assert exported.status == 200, exported.text

    api = ProxiedClient(production_web.url, HOST)
    auth = {"Authorization": f"Bearer {api_key}"}

    def session():
        reply = api.get(f"/api/v1/sessions/{session_id}", headers=auth)
        return reply if reply.status == 200 else None

    found = wait_for(session, timeout=30)
    assert found, "the recorded session never appeared in the API"
    assert session_id in found.text

    def traces():
        reply = api.get(f"/api/v1/sessions/{session_id}/traces", headers=auth)
        return reply if reply.status == 200 and trace_id in reply.text else None

    assert wait_for(traces, timeout=30), "the session's backend trace never appeared"
    trace = api.get(f"/api/v1/traces/{trace_id}", headers=auth)
    assert trace.status == 200, trace.text
    assert session_id in trace.text


@pytest.mark.django_db(transaction=False)
def test_the_guard_names_each_endpoint_that_does_not_resolve(monkeypatch):
    monkeypatch.setitem(NEEDED, "/no-such-intake/v9", "an intake that does not exist")
    missing = missing_endpoints()
    assert "/no-such-intake/v9 (an intake that does not exist)" in missing
