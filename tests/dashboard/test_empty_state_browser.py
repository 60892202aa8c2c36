"""A new organization: the empty state's install snippet and its "send a test event" check,
which goes through the real intake from the browser and reports the session once indexed."""

import pytest

from tests.dashboard.browser import REPLAY_TEXT, dashboard_tab, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]


def test_a_new_user_sends_a_test_event_and_sees_it_received(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"**/o/{org_a.slug}/sessions/")
    assert page.locator("text=No sessions recorded yet").is_visible()
    assert org_a.public_id in page.locator("#script-tag").inner_text()
    page.screenshot(path=str(artifacts_dir / "dashboard-sessions-empty.png"), full_page=True)

    page.click("#test-event-send")
    page.wait_for_selector("#test-event-status.ok")
    assert "Received ✓" in page.inner_text("#test-event-status")
    page.screenshot(path=str(artifacts_dir / "dashboard-test-event-received.png"))

    page.click("#test-event-status a")
    page.wait_for_selector("#replay[data-loaded='true']")
    wait_for(lambda: "Hello from Qorrelate" in page.evaluate(REPLAY_TEXT), message="the test page")
    assert page.js_errors == []


def test_the_overview_has_the_test_event_check_too(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/o/{org_a.slug}/")
    page.click("#test-event-send")
    page.wait_for_selector("#test-event-status.ok")
    page.screenshot(path=str(artifacts_dir / "dashboard-overview.png"), full_page=True)
