"""One correlation read: a session's backend logs that carry only trace context (as the
article's middleware leaves the shop's own logs) are listed alike by the session page, the
API's session logs and the trace detail; ``?session_id=`` on spans returns what the page shows.
"""

import pytest

from tests.replay import rrweb
from tests.traces import otlp

pytestmark = pytest.mark.django_db
SERVER = otlp.Span.SPAN_KIND_SERVER


def _ns(offset_ms: int) -> int:
    return (rrweb.T0 + offset_ms) * 1_000_000


@pytest.fixture
def shop_session(record_session, send_telemetry, org_a, org_b):
    """A checkout session: "Place order" (trace ``tagged``, spans carry session.id) and a stock
    check (trace ``untagged``, found only through the browser's traceparent). Their logs carry
    trace context only. Beside them: a log of an unrelated trace, and another organization's
    log in the same trace id."""
    tagged, untagged, unrelated = (otlp.new_trace_id() for _ in range(3))
    session = record_session(
        org_a,
        events=[
            rrweb.network(rrweb.T0 + 1000, status=200, trace_id=untagged),
            rrweb.click(rrweb.T0 + 1990),
            rrweb.network(rrweb.T0 + 2000, status=500, trace_id=tagged),
            rrweb.mouse_move(rrweb.T0 + 8000),
        ],
    )
    root = otlp.new_span_id()
    send_telemetry(
        org_a,
        spans=[
            otlp.span(
                trace_id=tagged,
                span_id=root,
                name="POST /api/orders",
                kind=SERVER,
                start_ns=_ns(2010),
                duration_ns=40_000_000,
                attributes={"session.id": session.session_id, "http.response.status_code": 500},
                status_code=2,
            ),
            otlp.span(
                trace_id=tagged,
                parent_span_id=root,
                name="INSERT orders",
                start_ns=_ns(2030),
                duration_ns=5_000_000,
            ),
            otlp.span(trace_id=untagged, name="GET /api/stock", kind=SERVER, start_ns=_ns(1010)),
            otlp.span(trace_id=unrelated, name="GET /health", kind=SERVER, start_ns=_ns(1500)),
        ],
        logs=[
            otlp.log_record(
                body="stock checked",
                severity=9,
                severity_text="INFO",
                trace_id=untagged,
                time_ns=_ns(1020),
            ),
            otlp.log_record(
                body="duplicate key value violates unique constraint",
                trace_id=tagged,
                span_id=root,
                time_ns=_ns(2046),
            ),
            otlp.log_record(body="order failed", trace_id=tagged, span_id=root, time_ns=_ns(2048)),
            otlp.log_record(body="health ok", severity=9, trace_id=unrelated, time_ns=_ns(1600)),
        ],
    )
    send_telemetry(
        org_b,
        logs=[otlp.log_record(body="other tenant", trace_id=tagged, time_ns=_ns(2047))],
    )
    session.trace_ids = {"tagged": tagged, "untagged": untagged, "unrelated": unrelated}
    return session


def _page_logs(client, org, session):
    config = client.get(f"/o/{org.slug}/sessions/{session.session_id}/").context["player_config"]
    return [(log["body"], log["t"]) for log in config["logs"]]


def _api_logs(api, session):
    response = api.get(f"/api/v1/sessions/{session.session_id}/logs/")
    assert response.status_code == 200, response.content
    return [(log["body"], log["offset_ms"]) for log in response.json()["results"]]


def test_the_page_the_session_logs_api_and_the_trace_detail_list_the_same_records(
    client, owner_client, org_a, alice, shop_session
):
    client.force_login(alice)
    expected = [
        ("stock checked", 1020.0),
        ("duplicate key value violates unique constraint", 2046.0),
        ("order failed", 2048.0),
    ]
    assert _page_logs(client, org_a, shop_session) == expected
    assert _api_logs(owner_client, shop_session) == expected

    tagged = shop_session.trace_ids["tagged"]
    detail = owner_client.get(f"/api/v1/traces/{tagged}/").json()
    assert [(log["body"], log["offset_ms"]) for log in detail["logs"]] == expected[1:]
    assert detail["session_id"] == shop_session.session_id
    page = client.get(f"/o/{org_a.slug}/traces/{tagged}/")
    assert [log.body for log in page.context["logs"]] == [body for body, _ in expected[1:]]


def test_the_page_and_the_session_traces_api_list_the_same_traces(
    client, owner_client, org_a, alice, shop_session
):
    client.force_login(alice)
    url = f"/o/{org_a.slug}/sessions/{shop_session.session_id}/"
    page = [(t["traceId"], t["t"]) for t in client.get(url).context["player_config"]["traces"]]
    body = owner_client.get(f"/api/v1/sessions/{shop_session.session_id}/traces/").json()
    api = [(t["trace_id"], t["offset_ms"]) for t in body["traces"]]
    assert page == api
    assert page == [
        (shop_session.trace_ids["untagged"], 1010.0),
        (shop_session.trace_ids["tagged"], 2010.0),
    ]


def test_the_session_id_span_filter_returns_the_spans_of_the_sessions_traces(
    owner_client, shop_session
):
    response = owner_client.get(f"/api/v1/spans/?session_id={shop_session.session_id}")
    assert response.status_code == 200, response.content
    names = sorted(span["name"] for span in response.json()["results"])
    assert names == ["GET /api/stock", "INSERT orders", "POST /api/orders"]
    assert len(owner_client.get("/api/v1/spans/").json()["results"]) == 4


def test_an_unknown_session_id_filter_is_a_404_not_every_span(owner_client, shop_session):
    response = owner_client.get("/api/v1/spans/?session_id=no-such-session-0000")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


@pytest.mark.parametrize("who", ["owner_client", "member_client", "viewer_client"])
def test_members_read_the_sessions_logs_and_spans(request, who, shop_session):
    api = request.getfixturevalue(who)
    assert len(_api_logs(api, shop_session)) == 3
    spans = api.get(f"/api/v1/spans/?session_id={shop_session.session_id}")
    assert spans.status_code == 200


def test_an_outsider_gets_404_for_the_sessions_logs_and_spans(outsider_client, shop_session):
    sid = shop_session.session_id
    assert outsider_client.get(f"/api/v1/sessions/{sid}/logs/").status_code == 404
    assert outsider_client.get(f"/api/v1/spans/?session_id={sid}").status_code == 404
    tagged = shop_session.trace_ids["tagged"]
    assert outsider_client.get(f"/api/v1/traces/{tagged}/").status_code == 404


def test_one_load_of_the_session_page_reads_the_session_row_once(
    client, org_a, alice, shop_session
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/o/{org_a.slug}/sessions/{shop_session.session_id}/")
    assert response.status_code == 200
    session_reads = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "replay_session"')
    ]
    assert len(session_reads) == 1, session_reads
