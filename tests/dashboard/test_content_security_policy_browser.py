"""The policy in a real browser: a dashboard page runs no inline script (an injected one is
refused, and the refusal is what every browser test's CSP check would catch), while the page's
own behaviours, shipped as static files, work."""

import pytest

from tests.dashboard.browser import dashboard_tab, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_dashboard_page_refuses_inline_script_and_its_own_static_behaviours_work(
    browser, live_server, org_a, alice, built_assets
):
    page = dashboard_tab(browser, live_server.url, alice)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/o/{org_a.slug}/")
    page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.injected = true';
            document.body.appendChild(s);
            const img = '<img src="x" onerror="window.handled = true">';
            document.body.insertAdjacentHTML('beforeend', img);
        }"""
    )
    wait_for(lambda: len(browser.csp_violations) >= 2, message="two refusals")
    assert page.evaluate("() => [window.injected, window.handled]") == [None, None]
    assert all("script-src" in v or "script-src-attr" in v for v in browser.csp_violations[:2])
    browser.csp_violations.clear()  # provoked on purpose

    # The page's own script (static/src/pages) runs: its copy button copies the script tag.
    page.click("[data-copy-from='#script-tag']")
    page.wait_for_function(
        "() => document.querySelector(\"[data-copy-from='#script-tag']\").textContent === 'Copied'"
    )
    assert org_a.public_id in page.evaluate("() => navigator.clipboard.readText()")
