"""Traces: the list and its search, one trace's waterfall page, and the inline waterfall."""

import pytest

from tests.replay import rrweb
from tests.traces import otlp

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_trace(org_a, record_session, send_telemetry):
    session = record_session(org_a, user={"id": "user-7"})
    trace_id, root = otlp.new_trace_id(), otlp.new_span_id()
    start_ns = (rrweb.T0 + 1500) * 1_000_000
    send_telemetry(
        org_a,
        spans=[
            otlp.span(
                trace_id=trace_id,
                span_id=root,
                name="POST /api/orders",
                start_ns=start_ns,
                duration_ns=80_000_000,
                attributes={"session.id": session.session_id, "http.response.status_code": 500},
                status_code=2,
                status_message="duplicate order",
            ),
            otlp.span(
                trace_id=trace_id,
                parent_span_id=root,
                name="charge card",
                start_ns=start_ns + 10_000_000,
                duration_ns=50_000_000,
                attributes={"session.id": session.session_id, "payment.provider": "stripe"},
            ),
        ],
        logs=[otlp.log_record(body="card charged twice", trace_id=trace_id, time_ns=start_ns)],
        service="checkout-api",
    )
    return trace_id, session


def test_the_trace_page_shows_the_waterfall_attributes_and_logs(
    client, org_a, alice, failing_trace
):
    trace_id, _session = failing_trace
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/{trace_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.name, r.depth) for r in rows] == [("POST /api/orders", 0), ("charge card", 1)]
    assert rows[0].width == pytest.approx(100)
    assert rows[1].left == pytest.approx(12.5, abs=0.1)
    assert "payment.provider" in html and "stripe" in html
    assert "duplicate order" in html
    assert "card charged twice" in html
    assert "checkout-api" in html


def test_the_trace_page_links_back_to_the_replay_at_that_moment(
    client, org_a, alice, failing_trace
):
    trace_id, session = failing_trace
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/{trace_id}/")
    assert response.context["replay_url"] == (
        f"/o/{org_a.slug}/sessions/{session.session_id}/?t=1500"
    )
    assert "Watch the replay at this moment" in response.content.decode()


def test_a_trace_without_a_session_has_no_replay_link(client, org_a, alice, send_telemetry):
    trace_id = otlp.new_trace_id()
    send_telemetry(org_a, spans=[otlp.span(trace_id=trace_id, name="cron: nightly")])
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/{trace_id}/")
    assert response.status_code == 200
    assert response.context["replay_url"] is None
    assert "No browser session is tied to this trace" in response.content.decode()


def test_the_inline_waterfall_is_a_fragment_with_span_offsets(client, org_a, alice, failing_trace):
    trace_id, _ = failing_trace
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/{trace_id}/waterfall/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'data-offset-ms="10.0"' in html
    assert "Open trace page" in html


def test_the_traces_list_is_newest_first_with_a_replay_link(
    client, org_a, alice, failing_trace, send_telemetry
):
    trace_id, session = failing_trace
    later = otlp.new_trace_id()
    send_telemetry(
        org_a,
        spans=[otlp.span(trace_id=later, name="GET /health", start_ns=(rrweb.T0 + 9000) * 10**6)],
    )
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/")
    page = response.context["page"]
    assert [t.trace_id for t in page.traces] == [later, trace_id]
    assert page.sessions[trace_id] == {"session_id": session.session_id, "offset_ms": 1500}
    assert f"/sessions/{session.session_id}/?t=1500" in response.content.decode()


def test_the_traces_list_filters_by_service_errors_session_and_attribute(
    client, org_a, alice, failing_trace, send_telemetry
):
    trace_id, session = failing_trace
    other = otlp.new_trace_id()
    send_telemetry(org_a, spans=[otlp.span(trace_id=other, name="GET /cart")], service="cart")
    client.force_login(alice)
    cases = {
        "service=checkout-api": [trace_id],
        "service=cart": [other],
        "has_errors=yes": [trace_id],
        "has_errors=no": [trace_id, other],  # the child span of the failing trace is fine
        f"session={session.session_id}": [trace_id],
        "attr=payment.provider%3Dstripe": [trace_id],
        "name=GET+%2Fcart": [other],
    }
    for query, expected in cases.items():
        page = client.get(f"/o/{org_a.slug}/traces/?{query}").context["page"]
        assert sorted(t.trace_id for t in page.traces) == sorted(expected), query


def test_searching_a_trace_id_opens_it_and_a_malformed_one_is_a_400(
    client, org_a, alice, failing_trace
):
    trace_id, _ = failing_trace
    client.force_login(alice)
    response = client.get(f"/o/{org_a.slug}/traces/?trace={trace_id.upper()}")
    assert response["Location"] == f"/o/{org_a.slug}/traces/{trace_id}/"
    assert client.get(f"/o/{org_a.slug}/traces/?trace=xyz").status_code == 400
    assert client.get(f"/o/{org_a.slug}/traces/?attr=novalue").status_code == 400


def test_older_traces_continue_on_the_next_page_without_repeats(
    client, org_a, alice, send_telemetry
):
    ids = [otlp.new_trace_id() for _ in range(60)]
    send_telemetry(
        org_a,
        spans=[
            otlp.span(trace_id=tid, start_ns=(rrweb.T0 + i * 1000) * 10**6)
            for i, tid in enumerate(ids)
        ],
    )
    client.force_login(alice)
    first = client.get(f"/o/{org_a.slug}/traces/").context["page"]
    second = client.get(f"/o/{org_a.slug}/traces/?before={first.next_before}").context["page"]
    shown = [t.trace_id for t in first.traces] + [t.trace_id for t in second.traces]
    assert shown == list(reversed(ids))
    assert second.next_before is None


def test_an_unknown_trace_is_404(client, org_a, alice):
    client.force_login(alice)
    assert client.get(f"/o/{org_a.slug}/traces/{'0' * 32}/").status_code == 404
    assert client.get(f"/o/{org_a.slug}/traces/not-a-trace/waterfall/").status_code == 404


def test_an_outsider_gets_404_on_another_organizations_trace(client, org_a, charlie, failing_trace):
    trace_id, _ = failing_trace
    client.force_login(charlie)
    own = charlie.memberships.get().organization
    for url in (
        f"/o/{org_a.slug}/traces/{trace_id}/",
        f"/o/{org_a.slug}/traces/{trace_id}/waterfall/",
        f"/o/{own.slug}/traces/{trace_id}/",
        f"/o/{own.slug}/traces/{trace_id}/waterfall/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/o/{own.slug}/traces/").context["page"].traces == []
