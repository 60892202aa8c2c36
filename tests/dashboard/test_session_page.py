"""The session page: its facts, and the backend traces and logs handed to the player."""

import jsonschema
import pytest

from apps.replay.protocol import SCHEMA
from tests.replay import rrweb
from tests.traces import otlp

pytestmark = pytest.mark.django_db
SERVER = otlp.Span.SPAN_KIND_SERVER


def session_url(org, session, query=""):
    return f"/o/{org.slug}/sessions/{session.session_id}/" + (f"?{query}" if query else "")


@pytest.fixture
def checkout_session(record_session, send_telemetry, org_a):
    """A session whose "Place order" request (at +2 s) reached the backend, which failed."""
    trace_id = otlp.new_trace_id()
    session = record_session(
        org_a,
        user={"id": "user-42", "traits": {"plan": "pro"}},
        events=[
            rrweb.click(rrweb.T0 + 1990),
            rrweb.network(rrweb.T0 + 2000, status=500, trace_id=trace_id),
            rrweb.mouse_move(rrweb.T0 + 8000),
        ],
    )
    root = otlp.new_span_id()
    start_ns = (rrweb.T0 + 2010) * 1_000_000
    send_telemetry(
        org_a,
        spans=[
            otlp.span(
                trace_id=trace_id,
                span_id=root,
                name="POST /api/orders",
                kind=SERVER,
                start_ns=start_ns,
                duration_ns=40_000_000,
                attributes={"session.id": session.session_id, "http.response.status_code": 500},
                status_code=2,
            ),
            otlp.span(
                trace_id=trace_id,
                parent_span_id=root,
                name="INSERT orders",
                start_ns=start_ns + 30_000_000,
                duration_ns=5_000_000,
                attributes={"session.id": session.session_id, "db.system": "postgresql"},
            ),
        ],
        logs=[
            otlp.log_record(
                body="duplicate key value violates unique constraint",
                trace_id=trace_id,
                attributes={"session.id": session.session_id},
                time_ns=start_ns + 36_000_000,
            )
        ],
    )
    session.trace_id = trace_id
    return session


def test_the_page_shows_the_session_facts(client, org_a, alice, checkout_session):
    client.force_login(alice)
    response = client.get(session_url(org_a, checkout_session))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("user-42", "plan", "pro", "Chrome", "Linux", "1280 × 720", "shop.test/checkout"):
        assert text in html, text
    assert "Sampling" in html and "Pending" in html
    assert "1 backend error" in html
    assert 'src="/static/player.js"' in html


def test_the_player_gets_the_backend_trace_at_its_offset_and_the_logs(
    client, org_a, alice, checkout_session
):
    client.force_login(alice)
    config = client.get(session_url(org_a, checkout_session)).context["player_config"]
    assert config["eventsUrl"] == f"/api/v1/sessions/{checkout_session.session_id}/events"
    assert config["durationMs"] == checkout_session.duration_ms
    [trace] = config["traces"]
    assert trace["traceId"] == checkout_session.trace_id
    assert trace["t"] == pytest.approx(2010, abs=1)
    assert (trace["name"], trace["spans"], trace["errors"]) == ("POST /api/orders", 2, 1)
    assert trace["waterfallUrl"].endswith(f"/traces/{checkout_session.trace_id}/waterfall/")
    [log] = config["logs"]
    assert log["level"] == "error"
    assert log["t"] == pytest.approx(2046, abs=1)
    assert "duplicate key" in log["body"]


def test_a_trace_matched_only_by_the_requests_trace_id_is_listed_too(
    client, org_a, alice, record_session, send_telemetry
):
    trace_id = otlp.new_trace_id()
    session = record_session(org_a, events=[rrweb.network(rrweb.T0 + 500, trace_id=trace_id)])
    # The backend was not instrumented with the session helper: no session.id on its spans.
    send_telemetry(
        org_a, spans=[otlp.span(trace_id=trace_id, start_ns=(rrweb.T0 + 510) * 1_000_000)]
    )
    client.force_login(alice)
    config = client.get(session_url(org_a, session)).context["player_config"]
    assert [t["traceId"] for t in config["traces"]] == [trace_id]
    assert config["traces"][0]["t"] == pytest.approx(510, abs=1)


def test_the_seek_bar_gets_the_sessions_notable_moments(client, org_a, alice, record_session):
    session = record_session(
        org_a,
        events=[
            rrweb.console_error(rrweb.T0 + 3000, "TypeError: x is undefined"),
            rrweb.network(rrweb.T0 + 4000, status=503),
            rrweb.navigation(rrweb.T0 + 5000, "https://shop.test/thanks"),
        ],
    )
    client.force_login(alice)
    marks = client.get(session_url(org_a, session)).context["player_config"]["marks"]
    kinds = {(m["kind"], m["t"]) for m in marks}
    # The player reads kinds and labels from the same schema (static/src/player/marks.js).
    for mark in marks:
        jsonschema.validate(mark, {**SCHEMA, "$ref": "#/$defs/mark"})
    assert ("console_error", 3000) in kinds
    assert ("failed_request", 4000) in kinds
    assert ("navigation", 5000) in kinds


def test_t_in_the_query_string_is_where_the_player_starts(client, org_a, alice, record_session):
    session = record_session(org_a)
    client.force_login(alice)
    assert (
        client.get(session_url(org_a, session, "t=2500")).context["player_config"]["startAt"]
        == 2500
    )
    for bad in ("t=-5", "t=soon", ""):
        response = client.get(session_url(org_a, session, bad))
        assert response.status_code == 200
        assert response.context["player_config"]["startAt"] is None


def test_a_session_without_backend_telemetry_says_so(client, org_a, alice, record_session):
    session = record_session(org_a)
    client.force_login(alice)
    response = client.get(session_url(org_a, session))
    assert "No backend traces" in response.content.decode()
    assert response.context["player_config"]["traces"] == []


def test_the_share_link_is_the_recorders_session_link(client, org_a, alice, record_session):
    session = record_session(org_a)
    client.force_login(alice)
    config = client.get(session_url(org_a, session)).context["player_config"]
    assert config["shareUrl"].endswith(f"/r/{org_a.public_id}/{session.session_id}")


def test_an_unknown_session_is_404(client, org_a, alice):
    client.force_login(alice)
    assert client.get(f"/o/{org_a.slug}/sessions/no-such-session/").status_code == 404


def test_an_outsider_gets_404_for_a_session_of_another_organization(
    client, org_a, alice, charlie, checkout_session
):
    client.force_login(charlie)
    assert client.get(session_url(org_a, checkout_session)).status_code == 404
    own_org = charlie.memberships.get().organization
    assert client.get(session_url(own_org, checkout_session)).status_code == 404


def test_a_viewer_can_watch(client, org_a, vera, checkout_session):
    client.force_login(vera)
    assert client.get(session_url(org_a, checkout_session)).status_code == 200


def test_a_findings_mark_carries_its_severity_to_the_player(client, org_a, alice, record_session):
    from apps.insights.tasks import detect_session

    t = rrweb.T0
    session = record_session(
        org_a,
        events=[
            rrweb.click(t + 1000),
            rrweb.network(t + 1005, url="https://shop.test/api/orders", method="POST", status=201),
            rrweb.click(t + 1150),
            rrweb.network(t + 1155, url="https://shop.test/api/orders", method="POST", status=500),
            rrweb.mouse_move(t + 9000),
        ],
    )
    detect_session(org_a.pk, session.pk)
    client.force_login(alice)
    marks = client.get(session_url(org_a, session)).context["player_config"]["marks"]
    for mark in marks:
        jsonschema.validate(mark, {**SCHEMA, "$ref": "#/$defs/mark"})
    (double,) = [m for m in marks if m["kind"] == "double_submit"]
    assert double["severity"] == 3 and double["t"] == 1000
    assert all("severity" not in m for m in marks if m["kind"] == "failed_request")
