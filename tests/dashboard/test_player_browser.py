"""The player on sessions recorded by the real recorder through the real intake: it shows what
the user saw at each moment, `?t=` opens there, backend spans seek it, traces link back to it."""

import pytest

from apps.traces.models import Span
from demo import scenarios
from tests.dashboard.browser import (
    REPLAY_TEXT,
    current_ms,
    dashboard_tab,
    normalized,
    open_session,
    pause,
    stored_session,
    stored_spans,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
TOAST = "Please enter a valid 5-digit ZIP code."


def _record_invisible_error(browser, shop_url):
    """Scenario 1 by hand, noting (time, page text) at three moments: before the click, while
    the validation toast shows, and after it vanished."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{shop_url}/checkout?user=maria.garcia&plan=pro")
    page.wait_for_function("() => window.qorrelate && window.qorrelate.getSessionId()")
    scenarios._fill(page, zip_code="941")
    page.wait_for_timeout(600)
    capture = "() => [Date.now(), document.body.innerText]"
    moments = [page.evaluate(capture)]
    page.click("#place-order")
    page.wait_for_selector(".toast.error")
    page.wait_for_timeout(400)
    moments.append(page.evaluate(capture))
    # The shop hides its toast after 2 s: capture once it is gone, however long that takes.
    page.wait_for_function(f"() => !document.body.innerText.includes({TOAST!r})")
    moments.append(page.evaluate(capture))
    page.mouse.move(300, 300)
    page.wait_for_timeout(400)
    session_id = page.evaluate("() => window.qorrelate.getSessionId()")
    scenarios.stop_recording(page)
    context.close()
    return session_id, moments


def test_the_replay_shows_the_recorded_pages_text_at_each_moment_and_t_opens_there(
    browser, live_server, org_a, alice, demo_shop, artifacts_dir
):
    session_id, moments = _record_invisible_error(browser, demo_shop.url)
    session = stored_session(org_a, session_id, until_ms=moments[-1][0])
    assert TOAST not in moments[0][1] and TOAST in moments[1][1] and TOAST not in moments[2][1]

    page = dashboard_tab(browser, live_server.url, alice)
    for index, (at_ms, original_text) in enumerate(moments):
        offset = at_ms - session.start_ms
        open_session(page, live_server.url, org_a, session_id, f"?t={offset}")
        page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
        assert abs(current_ms(page) - offset) < 50
        replayed = page.evaluate(REPLAY_TEXT)
        assert normalized(replayed) == normalized(original_text), f"moment {index}"
        if index == 1:
            page.screenshot(path=str(artifacts_dir / "dashboard-session-invisible-error-toast.png"))
    assert page.js_errors == []


def test_clicking_a_backend_span_seeks_the_player_to_that_moment(
    browser, live_server, org_a, alice, demo_shop, artifacts_dir
):
    recorded = scenarios.double_click_race(browser, demo_shop.url)
    session = stored_session(org_a, recorded.session_id)
    spans = stored_spans(org_a, recorded.session_id, 6)
    failed = next(s for s in spans if s.http_status_code == 500)
    charge = next(s for s in spans if s.trace_id == failed.trace_id and s.name == "charge card")
    expected = charge.start_time_unix_nano / 1e6 - session.start_ms

    page = dashboard_tab(browser, live_server.url, alice)
    open_session(page, live_server.url, org_a, recorded.session_id)
    pause(page)
    page.click("[data-tab=backend]")
    entry = page.locator(f"#trace-{failed.trace_id}")
    entry.locator(".wf-toggle").click()
    row = entry.locator(".wf-row", has_text="charge card")
    row.wait_for()
    row.click()
    # The seek is done when the player shows that moment (a condition, not a delay).
    page.wait_for_function(
        f"() => Math.abs(parseFloat(document.getElementById('replay').dataset.currentMs)"
        f" - {expected}) <= 100"
    )
    page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    assert entry.locator(".wf-detail:not([hidden])").inner_text().count("stripe") >= 1
    page.screenshot(path=str(artifacts_dir / "dashboard-session-backend-waterfall.png"))

    # The panel follows the player: entries up to this moment are lit, later ones dimmed.
    now = current_ms(page)
    times = page.eval_on_selector_all(
        "[data-pane=backend] .entry",
        "els => els.map(e => [parseFloat(e.dataset.t), e.classList.contains('future')])",
    )
    assert "future" not in (entry.get_attribute("class") or "")
    assert all(future == (t > now) for t, future in times)
    assert page.locator("[data-pane=backend] .entry.current").count() == 1
    assert page.js_errors == []


def test_the_trace_page_links_back_to_the_replay_at_that_moment(
    browser, live_server, org_a, alice, demo_shop, artifacts_dir
):
    recorded = scenarios.double_click_race(browser, demo_shop.url)
    session = stored_session(org_a, recorded.session_id)
    spans = stored_spans(org_a, recorded.session_id, 6)
    failed = next(s for s in spans if s.http_status_code == 500)
    trace_start = min(s.start_time_unix_nano for s in Span.objects.filter(trace_id=failed.trace_id))
    offset = int(trace_start / 1e6 - session.start_ms)

    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/o/{org_a.slug}/traces/{failed.trace_id}/")
    page.locator(".wf-row").first.click()
    page.screenshot(path=str(artifacts_dir / "dashboard-trace-detail.png"), full_page=True)
    page.click("#watch-replay")
    page.wait_for_url(f"**/sessions/{recorded.session_id}/?t={offset}")
    page.wait_for_selector("#replay[data-loaded='true']")
    page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    assert abs(current_ms(page) - offset) < 50
    assert page.js_errors == []


def test_the_copy_link_button_gives_the_session_link_at_the_current_time(
    browser, live_server, org_a, alice, demo_shop
):
    recorded = scenarios.invisible_error(browser, demo_shop.url)
    stored_session(org_a, recorded.session_id)
    page = dashboard_tab(browser, live_server.url, alice)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_session(page, live_server.url, org_a, recorded.session_id, "?t=3000")
    page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    page.click("#copy-link")
    link = wait_for(lambda: page.get_attribute("#copy-link", "data-link"), message="copied link")
    assert link == f"{live_server.url}/r/{org_a.public_id}/{recorded.session_id}?t=3000"

    # The link itself lands a member on the session at that moment.
    page.goto(link)
    page.wait_for_url(f"**/o/{org_a.slug}/sessions/{recorded.session_id}/?t=3000")
