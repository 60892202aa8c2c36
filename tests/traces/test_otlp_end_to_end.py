"""Through the real path: a backend instrumented with qorrelate_otel exports spans and logs with
the stock OTLP/HTTP exporters to a live Qorrelate (gunicorn), and the REST API then returns that
trace for that session and that session for that trace."""

import time

import pytest
import requests

from tests.traces.backend_app import start_backend

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

CART_SESSION = "0b7e1f7c-3c55-4d4e-9a0b-6d1f2e3a4b5c"
CHECKOUT_SESSION = "7a2d9e44-8f1b-4c3d-b5a6-0e9f8d7c6b5a"
BROWSER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
BROWSER_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def backend(live_qorrelate, org_a, ingest_key):
    backend, stop = start_backend(qorrelate_url=live_qorrelate.url, ingest_key=ingest_key(org_a))
    yield backend
    stop()


@pytest.fixture
def api(live_qorrelate, org_a):
    from apps.orgs.services import key_create

    _key, raw = key_create(organization=org_a, kind="api", name="e2e", created_by=None)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {raw}"

    def get(path, expected=200):
        response = session.get(live_qorrelate.url + path, timeout=10)
        assert response.status_code == expected, (path, response.text, live_qorrelate.output())
        return response.json()

    return get


def test_a_backend_request_with_a_session_id_is_found_from_the_session_and_back(
    backend, api, org_a, replay_session, live_qorrelate
):
    start_ms = int(time.time() * 1000) - 5_000
    replay_session(org_a, CART_SESSION, start_ms)

    # What the recorder adds to the app's own API calls: X-Session-ID and a traceparent.
    response = requests.get(
        backend.url + "/cart",
        headers={
            "X-Session-ID": CART_SESSION,
            "traceparent": f"00-{BROWSER_TRACE}-{BROWSER_SPAN}-01",
        },
        timeout=10,
    )
    assert response.status_code == 200
    assert backend.telemetry.force_flush(15_000)

    traces = api(f"/api/v1/sessions/{CART_SESSION}/traces")["traces"]
    assert [t["trace_id"] for t in traces] == [BROWSER_TRACE]
    assert traces[0]["root_span"]["name"] == "GET /cart"
    assert traces[0]["span_count"] == 2
    assert traces[0]["is_error"] is False
    assert 4_000 < traces[0]["offset_ms"] < 60_000

    trace = api(f"/api/v1/traces/{BROWSER_TRACE}")
    assert trace["session_id"] == CART_SESSION
    assert trace["replay_offset_ms"] == pytest.approx(traces[0]["offset_ms"])
    server, child = trace["spans"]
    assert (server["name"], server["depth"], server["kind"]) == ("GET /cart", 0, "server")
    assert server["parent_span_id"] == BROWSER_SPAN  # the browser's span: not stored here
    assert server["service_name"] == "shop-backend"
    assert (child["name"], child["depth"]) == ("load cart", 1)
    assert child["attributes"]["session.id"] == CART_SESSION
    assert child["attributes"]["cart.items"] == 3

    logs = api(f"/api/v1/sessions/{CART_SESSION}/logs")["results"]
    assert [log["body"] for log in logs] == ["cart loaded"]
    assert logs[0]["trace_id"] == BROWSER_TRACE
    assert logs[0]["span_id"] == child["span_id"]
    assert logs[0]["offset_ms"] is not None

    spans = api(f"/api/v1/spans?attr[session.id]={CART_SESSION}")["results"]
    assert {s["name"] for s in spans} == {"GET /cart", "load cart"}


def test_a_request_with_only_baggage_is_correlated_too(backend, api):
    response = requests.get(
        backend.url + "/checkout",
        headers={"baggage": f"session.id={CHECKOUT_SESSION},plan=pro"},
        timeout=10,
    )
    assert response.status_code == 502
    assert backend.telemetry.force_flush(15_000)
    (_path, trace_id, server_span_id) = backend.handled[-1]

    traces = api(f"/api/v1/sessions/{CHECKOUT_SESSION}/traces")["traces"]
    assert [t["trace_id"] for t in traces] == [trace_id]
    assert traces[0]["root_span"]["span_id"] == server_span_id
    assert traces[0]["is_error"] is True  # the server span's HTTP 502
    assert traces[0]["offset_ms"] is None  # no replay of this session was recorded

    assert api(f"/api/v1/traces/{trace_id}")["session_id"] == CHECKOUT_SESSION
    logs = api(f"/api/v1/sessions/{CHECKOUT_SESSION}/logs")["results"]
    assert [(log["body"], log["severity_text"]) for log in logs] == [
        ("payment declined for order 42", "ERROR")
    ]
    spans = api(f"/api/v1/spans?attr[session.id]={CHECKOUT_SESSION}&is_error=true")["results"]
    assert [s["span_id"] for s in spans] == [server_span_id]


def test_another_organization_cannot_see_the_exported_trace(
    backend, live_qorrelate, org_b, api_key_client
):
    requests.get(backend.url + "/cart", headers={"X-Session-ID": CART_SESSION}, timeout=10)
    assert backend.telemetry.force_flush(15_000)
    trace_id = backend.handled[-1][1]

    from apps.orgs.services import key_create

    _key, raw = key_create(organization=org_b, kind="api", name="b", created_by=None)
    headers = {"Authorization": f"Bearer {raw}"}
    for path in (f"/api/v1/traces/{trace_id}", f"/api/v1/sessions/{CART_SESSION}/traces"):
        response = requests.get(live_qorrelate.url + path, headers=headers, timeout=10)
        assert response.status_code == 404, path
