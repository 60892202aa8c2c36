"""The script tag: what happens without data-org-id, and that the page is never harmed."""

from .sites import page_html, recorder_tag, wait_until


def test_without_org_id_nothing_is_sent_and_exactly_one_console_error_explains_why(
    site, page, console
):
    tag = recorder_tag(site.url("/static/replay.js"), privacy_mode="mask-all")
    page.goto(site.add_page("/no-org.html", page_html("<input id=name>", script=tag)))
    page.fill("#name", "typed")
    page.evaluate("fetch('/api/orders')")
    wait_until(page, lambda: site.calls_to("/api/orders"), message="the page's own request")
    page.wait_for_timeout(800)

    errors = [text for kind, text in console if kind == "error"]
    assert len(errors) == 1
    assert "data-org-id" in errors[0]
    assert site.intake.uploads == []
    call = site.calls_to("/api/orders")[0]
    assert "x-session-id" not in call.headers
    assert "traceparent" not in call.headers
    assert page.evaluate("sessionStorage.length") == 0
    assert page.evaluate("window.fetch.toString()").find("[native code]") > 0
    # The page may still call the API without a TypeError.
    assert page.evaluate("qorrelate.getSessionId()") is None


def test_the_recorder_loaded_twice_records_once(site, page):
    src = site.url("/static/replay.js")
    tags = recorder_tag(src, org_id="org_x", flush_interval=200) * 2
    page.goto(site.add_page("/twice.html", page_html("<p>hi</p>", script=tags)))
    page.evaluate("fetch('/api/once')")
    wait_until(page, lambda: site.intake.custom("qorrelate.network"), message="network event")
    call = wait_until(page, lambda: site.calls_to("/api/once"))[0]
    assert "," not in call.headers["x-session-id"]
    assert call.headers["baggage"].count("session.id=") == 1
    assert len(site.intake.custom("qorrelate.network")) == 1


def test_the_pages_own_request_errors_reach_it_unchanged(recorder_page, page):
    recorder_page("<p>app</p>")
    result = page.evaluate(
        """async () => {
            const out = {};
            try { await fetch('http://127.0.0.1:1/unreachable'); out.fetch = 'resolved'; }
            catch (e) { out.fetch = e.name; }
            try { new XMLHttpRequest().open('GET', 'http://[bad'); out.xhr = 'opened'; }
            catch (e) { out.xhr = e.name; }
            const r = await fetch(new Request('/api/request-object', {method: 'PUT'}));
            out.request = r.status;
            return out;
        }"""
    )
    assert result == {"fetch": "TypeError", "xhr": "SyntaxError", "request": 200}


def test_api_calls_with_odd_arguments_never_throw_into_the_page(recorder_page, page):
    recorder_page("<p>app</p>")
    result = page.evaluate(
        """() => {
            const circular = {}; circular.self = circular;
            qorrelate.identify(undefined, circular);
            qorrelate.event(null, circular);
            qorrelate.event('ok', {a: 1n});
            qorrelate.stop(); qorrelate.stop(); qorrelate.start(); qorrelate.start();
            return typeof qorrelate.getSessionId();
        }"""
    )
    assert result == "string"


def test_an_unserializable_event_payload_is_skipped_and_later_events_still_arrive(
    recorder_page, site, page
):
    recorder_page("<p>app</p>")
    page.evaluate(
        """() => {
            const circular = {}; circular.self = circular;
            qorrelate.event('broken', circular);
            qorrelate.event('fine', {n: 1});
            qorrelate.flush();
        }"""
    )
    events = wait_until(page, lambda: site.intake.custom("qorrelate.event"))
    assert events == [{"name": "fine", "payload": {"n": 1}}]
