"""Replay on error (data-record="on-error"): nothing is uploaded before a trigger, then the last
window (from a full snapshot) and the rest of the session are.

The page's clock is Playwright's (``page.clock``): the recorder, rrweb's timestamps and its
timers run on it, so two minutes of a session pass in a moment and the test waits for uploads,
never for a time.
"""

import json

from .sites import wait_until

BODY = (
    "<button id=boom onclick=\"throw new Error('checkout failed')\">pay</button><ul id=list></ul>"
)
# Something happens on the page every 5 s: rrweb's checkouts are taken on DOM events.
TICK_MS = 5000


def live_for(page, ms):
    """The page's clock moves on ``ms``, with a DOM change every 5 s."""
    for _ in range(ms // TICK_MS):
        page.evaluate(
            "() => document.getElementById('list').appendChild(document.createElement('li'))"
        )
        page.clock.run_for(TICK_MS)


def open_on_error(page, recorder_page, **attrs):
    page.clock.install()
    recorder_page(BODY, record="on-error", **attrs)
    page.wait_for_function("() => window.qorrelate && window.qorrelate.version")


def uploaded_events(site, page, tag, predicate=lambda p: True):
    """All accepted events, once one ``tag`` entry matching ``predicate`` has arrived."""
    wait_until(
        page,
        lambda: any(predicate(p) for p in site.intake.custom(tag)),
        message=f"an uploaded {tag}",
    )
    return site.intake.events()


def test_nothing_is_uploaded_before_an_error_then_the_last_minute_is_from_a_snapshot(
    recorder_page, site, page
):
    open_on_error(page, recorder_page)
    live_for(page, 135_000)
    page.evaluate("() => fetch('/api/ok')")  # a successful request is no trigger
    live_for(page, 5_000)
    assert site.intake.uploads == []

    error_at = page.evaluate("() => Date.now()")
    page.click("#boom")  # an uncaught error in an event handler
    events = uploaded_events(site, page, "qorrelate.error")

    first = events[0]
    assert first["type"] == 4, "the upload begins at a full snapshot (Meta, then FullSnapshot)"
    assert events[1]["type"] == 2
    # The buffer kept at least the last 60 s (the default window) and dropped what was older.
    assert error_at - first["timestamp"] >= 60_000
    assert error_at - first["timestamp"] < 2 * 60_000 + 2 * TICK_MS
    assert site.intake.accepted()[0]["seq"] == 0

    # From the trigger on the session is recorded whole: later changes are uploaded too.
    page.evaluate("() => qorrelate.event('after-trigger', {})")
    live_for(page, 5_000)
    uploaded_events(site, page, "qorrelate.event", lambda p: p["name"] == "after-trigger")


def test_a_short_window_is_honoured_and_flush_is_a_trigger(recorder_page, site, page):
    open_on_error(page, recorder_page, buffer_window=10_000)
    live_for(page, 40_000)
    assert site.intake.uploads == []
    flushed_at = page.evaluate("() => { const t = Date.now(); qorrelate.flush(); return t; }")
    wait_until(page, lambda: site.intake.accepted(), message="the buffer's upload")
    events = site.intake.events()
    assert events[0]["type"] == 4
    assert 10_000 <= flushed_at - events[0]["timestamp"] < 2 * 10_000 + 2 * TICK_MS


def test_the_backend_error_header_triggers_it_and_a_third_partys_5xx_does_not(
    recorder_page, site, third_party, page
):
    # A 200 whose backend span errored: only the helpers' header says so. (A plain 5xx of the
    # own API triggers too: static/tests/recorder/buffer.test.js, tests/dashboard.)
    site.api_replies["/api/pay"] = (
        200,
        json.dumps({"ok": False}).encode(),
        {"X-Qorrelate-Error": "1"},
    )
    third_party.api_replies["/api/ads"] = (503, b"{}", {})
    open_on_error(page, recorder_page)
    live_for(page, 10_000)
    page.evaluate("(url) => fetch(url).catch(() => null)", third_party.url("/api/ads"))
    live_for(page, 5_000)
    assert site.intake.uploads == [], "another origin failing is not this app's error"

    page.evaluate("() => fetch('/api/pay', {method: 'POST'})")
    events = uploaded_events(
        site, page, "qorrelate.network", lambda p: p["url"].endswith("/api/pay")
    )
    pay = next(
        e["data"]["payload"]
        for e in events
        if e["type"] == 5 and e["data"]["payload"].get("url", "").endswith("/api/pay")
    )
    assert pay["status"] == 200 and pay["backend_error"] is True
    # The page's first seconds: its load entries, then the full snapshot the DOM replays from.
    assert [e["type"] for e in events if e["type"] in (2, 3, 4)][:2] == [4, 2]


def test_sampled_sessions_are_recorded_whole_from_the_start(recorder_page, site, page):
    recorder_page(BODY, record="on-error", sample_rate=100)
    page.evaluate("() => qorrelate.event('no-trigger-needed', {})")
    uploaded_events(site, page, "qorrelate.event")
    assert not site.intake.custom("qorrelate.error")


def test_stopping_a_buffered_session_uploads_nothing(recorder_page, site, page):
    open_on_error(page, recorder_page)
    live_for(page, 10_000)
    page.evaluate("() => qorrelate.stop()")
    live_for(page, 10_000)
    page.click("#boom")
    live_for(page, 10_000)
    # A request the page makes after those, answered: had anything been sent, it was first.
    page.evaluate("() => fetch('/api/ok')")
    wait_until(page, lambda: site.calls_to("/api/ok"), message="the page's own request")
    assert site.intake.uploads == []
