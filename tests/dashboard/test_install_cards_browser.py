"""The install cards as a new customer sees them: the script tag or the browser npm package, then
the Python and Node SDKs with their install lines, each with a working Copy button (no inline
script, under the CSP)."""

import pytest

from apps.orgs.snippets import BROWSER_INSTALL, node_install_command, python_install_command
from tests.dashboard.browser import dashboard_tab

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.live]


def test_the_overview_shows_every_sdk_install_line_and_copies_them(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/o/{org_a.slug}/")

    python, node = page.inner_text("#python-snippet"), page.inner_text("#node-snippet")
    assert page.inner_text("#browser-install") == BROWSER_INSTALL
    assert f"init({{ orgId: '{org_a.public_id}'" in page.inner_text("#browser-snippet")
    assert page.inner_text("#python-install") == python_install_command()
    assert page.inner_text("#node-install") == node_install_command()
    assert f'configure(endpoint="{live_server.url}"' in python
    assert "qorrelateExpress()" in node
    assert page.locator("#install-backend h3").all_inner_texts() == [
        "Python — Django, FastAPI, Flask",
        "Node — Express, Fastify",
    ]
    page.click("[data-copy-from='#node-snippet']")
    page.wait_for_function("() => navigator.clipboard.readText().then((t) => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == node
    page.locator("#install").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "onboarding-install-cards.png"), full_page=True)

    page.goto(f"{live_server.url}/o/{org_a.slug}/settings/")
    assert page.inner_text("#node-install") == node_install_command()
    page.screenshot(path=str(artifacts_dir / "settings-install-cards.png"), full_page=True)
    assert page.js_errors == []
