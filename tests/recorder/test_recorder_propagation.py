"""Session headers: on the page's own API and data-propagate-to origins, never elsewhere."""

import re

from .sites import wait_until

TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")

BOTH_KINDS = """async (url) => {
    await fetch(url + '?kind=fetch');
    await new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', url + '?kind=xhr');
        xhr.onloadend = resolve;
        xhr.send();
    });
}"""


def test_same_origin_fetch_and_xhr_carry_the_session_id_baggage_and_a_traceparent(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>")
    session_id = page.evaluate("qorrelate.getSessionId()")
    page.evaluate(BOTH_KINDS, "/api/cart")

    calls = site.calls_to("/api/cart")
    assert len(calls) == 2
    for call in calls:
        assert call.headers["x-session-id"] == session_id
        assert call.headers["baggage"] == f"session.id={session_id}"
        assert TRACEPARENT.match(call.headers["traceparent"])
    assert calls[0].headers["traceparent"] != calls[1].headers["traceparent"]


def test_third_party_requests_get_no_headers_and_need_no_preflight(
    recorder_page, site, third_party, page
):
    recorder_page("<p>shop</p>")
    page.evaluate(BOTH_KINDS, third_party.url("/api/widget"))

    calls = third_party.calls_to("/api/widget")
    assert len(calls) == 2
    for call in calls:
        assert "x-session-id" not in call.headers
        assert "baggage" not in call.headers
        assert "traceparent" not in call.headers
    assert third_party.preflights == []


def test_data_propagate_to_origins_get_the_session_headers(recorder_page, site, third_party, page):
    recorder_page("<p>shop</p>", propagate_to=f"https://api.example.test, {third_party.origin}")
    session_id = page.evaluate("qorrelate.getSessionId()")
    page.evaluate(BOTH_KINDS, third_party.url("/api/backend"))

    calls = third_party.calls_to("/api/backend")
    assert [c.headers.get("x-session-id") for c in calls] == [session_id, session_id]


def test_the_traceparent_sent_is_the_trace_id_on_the_network_event(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate(BOTH_KINDS, "/api/checkout")
    events = wait_until(
        page,
        lambda: (
            len(site.intake.custom("qorrelate.network")) >= 2
            and site.intake.custom("qorrelate.network")
        ),
        message="two network events",
    )

    sent = {c.headers["traceparent"] for c in site.calls_to("/api/checkout")}
    recorded = {f"00-{e['trace_id']}-{e['span_id']}-01" for e in events}
    assert sent == recorded
    assert {e["initiator"] for e in events} == {"fetch", "xhr"}
    assert all(e["session_header"] is True and e["status"] == 200 for e in events)


def test_existing_baggage_is_merged_and_an_existing_traceparent_is_kept(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    session_id = page.evaluate("qorrelate.getSessionId()")
    theirs = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    page.evaluate(
        """async (tp) => {
            const headers = {baggage: 'tenant=acme,session.id=stale', traceparent: tp};
            await fetch('/api/merge', {headers});
            await new Promise((resolve) => {
                const xhr = new XMLHttpRequest();
                xhr.open('GET', '/api/merge');
                xhr.setRequestHeader('baggage', 'tenant=acme');
                xhr.setRequestHeader('traceparent', tp);
                xhr.onloadend = resolve;
                xhr.send();
            });
        }""",
        theirs,
    )
    fetch_call, xhr_call = site.calls_to("/api/merge")
    assert fetch_call.headers["baggage"] == f"tenant=acme,session.id={session_id}"
    assert xhr_call.headers["baggage"].replace(" ", "") == f"tenant=acme,session.id={session_id}"
    assert fetch_call.headers["traceparent"] == theirs
    assert xhr_call.headers["traceparent"] == theirs
    events = wait_until(
        page,
        lambda: (
            len(site.intake.custom("qorrelate.network")) >= 2
            and site.intake.custom("qorrelate.network")
        ),
    )
    assert {e["trace_id"] for e in events} == {"0af7651916cd43dd8448eb211c80319c"}


def test_data_traceparent_off_keeps_the_session_headers_but_adds_no_traceparent(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>", traceparent="off")
    page.evaluate(BOTH_KINDS, "/api/plain")
    calls = site.calls_to("/api/plain")
    assert len(calls) == 2
    assert all("traceparent" not in c.headers and "x-session-id" in c.headers for c in calls)


def test_the_intake_requests_are_neither_tagged_nor_recorded(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    wait_until(page, lambda: site.intake.uploads, message="the first upload")
    # Anything recorded about that upload would travel in the next batch.
    page.evaluate("fetch('/api/tick')")
    wait_until(page, lambda: site.intake.custom("qorrelate.network"), message="the next batch")

    assert all("x-session-id" not in up.headers for up in site.intake.uploads)
    assert all("traceparent" not in up.headers for up in site.intake.uploads)
    urls = [e["url"] for e in site.intake.custom("qorrelate.network")]
    assert urls and not [u for u in urls if "/ingest/" in u]


def test_secret_looking_query_values_are_redacted_in_network_events(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.evaluate(
        "fetch('/api/search?q=shoes&access_token=tok123&api_key=k456&sig=s789&code=c000&page=2')"
    )
    events = wait_until(page, lambda: site.intake.custom("qorrelate.network"))
    url = events[0]["url"]
    assert url.endswith(
        "/api/search?q=shoes&access_token=[redacted]&api_key=[redacted]&sig=[redacted]"
        "&code=[redacted]&page=2"
    )
    for secret in ("tok123", "k456", "s789", "c000"):
        assert secret not in site.intake.raw_text()
