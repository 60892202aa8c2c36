"""One session across two tabs, end to end: the recorder in two tabs of a shop writes batches to
the real intake under one session id with two window ids (seq 0 in both, no collision), the
session page says the session spans two tabs and plays either tab, and shows session.start."""

import pytest

from apps.replay.models import Batch
from tests.dashboard.browser import dashboard_tab, open_session, recording_shop, stored_session
from tests.recorder.sites import page_html, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
FRAME_TEXT = "document.querySelector('#player-stage iframe').contentDocument.body?.innerText"


def test_two_tabs_record_one_session_and_the_session_page_plays_each_tab(
    browser, live_server, org_a, alice, built_assets, tmp_path
):
    shop, tag = recording_shop(built_assets, live_server, org_a)
    shop.add_page("/cart", page_html("<h1>Cart page</h1>", script=tag))
    shop.add_page("/help", page_html("<h1>Help page</h1>", script=tag))
    context = browser.new_context()
    try:
        cart = context.new_page()
        cart.goto(shop.url("/cart"))
        session_id = cart.evaluate("qorrelate.getSessionId()")
        help_tab = context.new_page()
        help_tab.goto(shop.url("/help"))
        assert help_tab.evaluate("qorrelate.getSessionId()") == session_id
        cart.evaluate("qorrelate.flush()")
        help_tab.evaluate("qorrelate.flush()")
        session = stored_session(org_a, session_id)
        wait_until(
            cart,
            lambda: (
                Batch.objects.filter(session=session).values("window_id").distinct().count() == 2
            ),
            message="both tabs' batches",
        )
    finally:
        context.close()
        shop.close()

    rows = list(
        Batch.objects.filter(organization=org_a, session=session).values("window_id", "seq")
    )
    assert {r["seq"] for r in rows if r["seq"] == 0} == {0}
    assert sum(1 for r in rows if r["seq"] == 0) == 2, "both tabs' batch 0 are stored"

    tab = dashboard_tab(browser, live_server.url, alice)
    open_session(tab, live_server.url, org_a, session_id)
    assert tab.inner_text("#window-count") == "2 tabs"
    tab.wait_for_function(f"() => ({FRAME_TEXT} || '').includes('Cart page')")
    assert "Session started" in tab.inner_text("#session-tabs")
    tab.screenshot(path=str(tmp_path / "session-tabs-1.png"), full_page=True)

    tab.click("#session-tabs a:has-text('Tab 2')")
    tab.wait_for_selector("#replay[data-loaded='true']")
    tab.wait_for_function(f"() => ({FRAME_TEXT} || '').includes('Help page')")
    assert "Cart page" not in tab.evaluate(f"() => {FRAME_TEXT}")
    assert "Tab 2 (playing)" in tab.inner_text("#session-tabs")
    tab.screenshot(path=str(tmp_path / "session-tabs-2.png"), full_page=True)
    assert tab.js_errors == []
