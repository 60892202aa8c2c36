"""GET /api/v1/spans filters, and the trace-id lookup the dashboard uses for browser requests."""

import pytest

from apps.traces.selectors import traces_by_ids
from tests.traces.otlp import new_trace_id, span

pytestmark = pytest.mark.django_db

T0 = 1_700_000_000_000_000_000
SECOND = 1_000_000_000


@pytest.fixture
def spans(org_a, org_a_ingest_key, send_spans, org_b, ingest_key):
    send_spans(
        org_a_ingest_key,
        [
            span(
                name="GET /cart",
                start_ns=T0,
                attributes={
                    "session.id": "s1",
                    "http.route": "/cart",
                    "http.response.status_code": 200,
                },
            ),
            span(
                name="GET /cart",
                start_ns=T0 + SECOND,
                attributes={
                    "session.id": "s2",
                    "http.route": "/cart",
                    "http.response.status_code": 503,
                },
            ),
            span(
                name="charge",
                start_ns=T0 + 2 * SECOND,
                status_code=2,
                attributes={"session.id": "s1", "retry": True},
            ),
        ],
        service="shop",
        resource={"deployment.environment": "prod"},
    )
    send_spans(org_a_ingest_key, [span(name="job", start_ns=T0 + 3 * SECOND)], service="worker")
    send_spans(ingest_key(org_b), [span(name="GET /cart", attributes={"session.id": "s1"})])


def _names(client, query):
    response = client.get(f"/api/v1/spans?{query}")
    assert response.status_code == 200, response.content
    return [
        f"{s['name']}@{(s['start_time_unix_nano'] - T0) // SECOND:02d}"
        for s in response.json()["results"]
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["job@03", "charge@02", "GET /cart@01", "GET /cart@00"]),
        ("attr[session.id]=s1", ["charge@02", "GET /cart@00"]),
        ("attr[http.route]=/cart&attr[session.id]=s2", ["GET /cart@01"]),
        ("attr[http.response.status_code]=503", ["GET /cart@01"]),
        ("attr[retry]=true", ["charge@02"]),
        ("attr[deployment.environment]=prod&name=charge", ["charge@02"]),
        ("service=worker", ["job@03"]),
        ("status=error", ["charge@02"]),
        ("is_error=true", ["charge@02", "GET /cart@01"]),
        (f"start={T0 + SECOND}&end={T0 + 3 * SECOND}", ["charge@02", "GET /cart@01"]),
        ("start=2023-11-14T22:13:21Z", ["job@03", "charge@02", "GET /cart@01"]),
        ("attr[session.id]=nobody", []),
    ],
)
def test_span_search_filters(owner_client, spans, query, expected):
    assert _names(owner_client, query) == expected


def test_span_search_pages_with_a_cursor(owner_client, spans):
    first = owner_client.get("/api/v1/spans?limit=3").json()
    second = owner_client.get(first["next"]).json()

    assert len(first["results"]) == 3 and len(second["results"]) == 1
    assert second["next"] is None
    assert second["results"][0]["name"] == "GET /cart"


def test_span_search_by_trace_id(owner_client, org_a_ingest_key, send_spans):
    trace_id = new_trace_id()
    send_spans(org_a_ingest_key, [span(trace_id=trace_id, name="a"), span(name="b")])

    results = owner_client.get(f"/api/v1/spans?trace_id={trace_id.upper()}").json()["results"]

    assert [s["name"] for s in results] == ["a"]


@pytest.mark.parametrize("query", ["status=broken", "start=yesterday", "is_error=maybe"])
def test_bad_filters_get_400(owner_client, query):
    response = owner_client.get(f"/api/v1/spans?{query}")

    assert response.status_code == 400
    assert "error" in response.json()


def test_traces_by_ids_finds_this_organizations_traces_only(
    org_a, org_b, org_a_ingest_key, ingest_key, send_spans
):
    mine, theirs, absent = new_trace_id(), new_trace_id(), new_trace_id()
    send_spans(org_a_ingest_key, [span(trace_id=mine, name="GET /api/cart", status_code=2)])
    send_spans(ingest_key(org_b), [span(trace_id=theirs)])

    found = traces_by_ids(organization=org_a, trace_ids=[mine.upper(), theirs, absent, "garbage"])

    assert list(found) == [mine]
    assert found[mine].root.name == "GET /api/cart"
    assert found[mine].is_error is True
