"""The backend side of a session through the REST API: traces, logs and span trees."""

import pytest

from apps.replay.models import SessionTrace
from tests.traces.otlp import log_record, new_span_id, new_trace_id, span

pytestmark = pytest.mark.django_db

SESSION = "5f0c7a1e-1111-4a4a-9b9b-123456789abc"
T0_MS = 1_700_000_000_000  # the replay's first event
MS = 1_000_000  # nanoseconds


def _at(ms_after_start: float) -> int:
    return int((T0_MS + ms_after_start) * MS)


@pytest.fixture
def checkout_trace(org_a, org_a_ingest_key, send_spans):
    """GET /checkout (root, 120 ms) → SELECT (child) and POST payments (child, HTTP 500)."""
    trace_id, root_id, db_id, pay_id = new_trace_id(), new_span_id(), new_span_id(), new_span_id()
    session = {"session.id": SESSION}
    send_spans(
        org_a_ingest_key,
        [
            span(
                trace_id=trace_id,
                span_id=pay_id,
                parent_span_id=root_id,
                name="POST payments",
                kind=3,
                start_ns=_at(1530),
                duration_ns=60 * MS,
                attributes={**session, "http.response.status_code": 500},
            ),
            span(
                trace_id=trace_id,
                span_id=root_id,
                name="GET /checkout",
                start_ns=_at(1500),
                duration_ns=120 * MS,
                attributes={**session, "http.route": "/checkout"},
            ),
            span(
                trace_id=trace_id,
                span_id=db_id,
                parent_span_id=root_id,
                name="SELECT",
                kind=3,
                start_ns=_at(1510),
                duration_ns=10 * MS,
                attributes=session,
            ),
        ],
        resource={"deployment.environment": "prod"},
    )
    return {"trace_id": trace_id, "root": root_id, "db": db_id, "pay": pay_id}


def test_a_sessions_traces_have_root_duration_error_flag_and_replay_offset(
    owner_client, org_a, org_a_ingest_key, send_spans, checkout_trace, replay_session
):
    replay_session(org_a, SESSION, T0_MS)
    quiet = new_trace_id()
    send_spans(
        org_a_ingest_key,
        [span(trace_id=quiet, name="GET /", start_ns=_at(200), attributes={"session.id": SESSION})],
    )
    send_spans(org_a_ingest_key, [span(name="other session", attributes={"session.id": "x"})])

    response = owner_client.get(f"/api/v1/sessions/{SESSION}/traces")

    assert response.status_code == 200
    body = response.json()
    assert body["session_id"] == SESSION
    assert body["session_start_ms"] == T0_MS
    assert body["truncated"] is False
    assert [t["trace_id"] for t in body["traces"]] == [quiet, checkout_trace["trace_id"]]
    checkout = body["traces"][1]
    assert checkout["root_span"]["name"] == "GET /checkout"
    assert checkout["root_span"]["span_id"] == checkout_trace["root"]
    assert checkout["duration_ms"] == pytest.approx(120.0)
    assert checkout["span_count"] == 3
    assert checkout["is_error"] is True and checkout["error_count"] == 1
    assert checkout["offset_ms"] == pytest.approx(1500.0)
    assert body["traces"][0]["is_error"] is False


def test_a_trace_whose_id_the_browser_carried_belongs_to_the_session(
    owner_client, org_a, org_a_ingest_key, send_spans, replay_session
):
    session = replay_session(org_a, SESSION, T0_MS)
    trace_id = new_trace_id()
    SessionTrace.objects.create(
        organization=org_a, session=session, trace_id=trace_id, ts_ms=T0_MS + 900
    )
    # The backend is not instrumented with the helper: no span names the session.
    send_spans(
        org_a_ingest_key,
        [
            span(
                trace_id=trace_id,
                name="GET /api/cart",
                parent_span_id=new_span_id(),
                start_ns=_at(905),
            )
        ],
    )

    traces = owner_client.get(f"/api/v1/sessions/{SESSION}/traces").json()["traces"]
    detail = owner_client.get(f"/api/v1/traces/{trace_id}").json()

    assert [t["trace_id"] for t in traces] == [trace_id]
    assert traces[0]["root_span"]["name"] == "GET /api/cart"
    assert detail["session_id"] == SESSION
    assert detail["replay_offset_ms"] == pytest.approx(905.0)


def test_a_session_with_spans_but_no_replay_has_no_offsets(owner_client, checkout_trace):
    body = owner_client.get(f"/api/v1/sessions/{SESSION}/traces").json()

    assert body["session_start_ms"] is None
    assert body["traces"][0]["offset_ms"] is None


def test_an_unknown_session_is_404(owner_client):
    response = owner_client.get("/api/v1/sessions/nope/traces")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_known_replay_without_backend_data_has_no_traces(owner_client, org_a, replay_session):
    replay_session(org_a, SESSION, T0_MS)

    assert owner_client.get(f"/api/v1/sessions/{SESSION}/traces").json()["traces"] == []
    assert owner_client.get(f"/api/v1/sessions/{SESSION}/logs").json()["results"] == []


def test_the_trace_is_a_waterfall_with_its_session_and_replay_offset(
    owner_client, org_a, checkout_trace, replay_session
):
    replay_session(org_a, SESSION, T0_MS)

    response = owner_client.get(f"/api/v1/traces/{checkout_trace['trace_id'].upper()}")

    assert response.status_code == 200
    body = response.json()
    assert body["trace_id"] == checkout_trace["trace_id"]
    assert body["session_id"] == SESSION and body["session_ids"] == [SESSION]
    assert body["replay_offset_ms"] == pytest.approx(1500.0)
    assert body["duration_ms"] == pytest.approx(120.0)
    assert body["error_count"] == 1
    rows = [(s["name"], s["depth"], s["offset_ms"]) for s in body["spans"]]
    assert rows == [("GET /checkout", 0, 0.0), ("SELECT", 1, 10.0), ("POST payments", 1, 30.0)]
    payments = body["spans"][2]
    assert payments["parent_span_id"] == checkout_trace["root"]
    assert payments["kind"] == "client" and payments["http_status_code"] == 500
    assert payments["is_error"] is True
    assert payments["resource_attributes"]["deployment.environment"] == "prod"


def test_an_invalid_or_unknown_trace_id_is_404(owner_client):
    assert owner_client.get("/api/v1/traces/not-hex").status_code == 404
    assert owner_client.get(f"/api/v1/traces/{new_trace_id()}").status_code == 404


def test_session_logs_come_oldest_first_with_offsets_and_pages(
    owner_client, org_a, org_a_ingest_key, send_logs, replay_session
):
    replay_session(org_a, SESSION, T0_MS)
    trace_id = new_trace_id()
    send_logs(
        org_a_ingest_key,
        [
            log_record(body="second", time_ns=_at(2000), attributes={"session.id": SESSION}),
            log_record(
                body="first",
                time_ns=_at(1000),
                trace_id=trace_id,
                span_id=new_span_id(),
                attributes={"session.id": SESSION},
            ),
            log_record(body="elsewhere", time_ns=_at(1500), attributes={"session.id": "x"}),
        ],
    )

    first = owner_client.get(f"/api/v1/sessions/{SESSION}/logs?limit=1").json()
    second = owner_client.get(first["next"]).json()

    assert [r["body"] for r in first["results"] + second["results"]] == ["first", "second"]
    assert first["results"][0]["offset_ms"] == pytest.approx(1000.0)
    assert first["results"][0]["trace_id"] == trace_id
    assert first["results"][0]["severity_text"] == "ERROR"
    assert second["next"] is None


def test_logs_of_an_unknown_session_are_404(owner_client):
    assert owner_client.get("/api/v1/sessions/nope/logs").status_code == 404
