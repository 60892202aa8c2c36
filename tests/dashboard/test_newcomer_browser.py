"""What a new user sees, in a real browser (screenshots in test-artifacts/): the Overview
before and after sessions arrive, a refused test event that points to a page that exists, and
the Retention page of a new organization, whose cards and form agree."""

import time

import pytest

from apps.orgs.models import Organization
from tests.dashboard.browser import dashboard_tab
from tests.replay import rrweb

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_overview_without_sessions_and_with_them(
    browser, live_server, org_a, alice, built_assets, record_session, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/o/{org_a.slug}/")
    page.goto(f"{live_server.url}/favicon.ico")
    page.goto(f"{live_server.url}/o/{org_a.slug}/")
    assert page.locator("text=No sessions recorded yet").is_visible()
    page.screenshot(path=str(artifacts_dir / "overview-empty.png"), full_page=True)

    now = int(time.time() * 1000)
    for minutes, user, events in [
        (90, "ok@shop.test", None),
        (30, "li.wei@shop.test", None),
        (5, "maria.garcia@shop.test", [rrweb.uncaught_error(now - 299_000, "TypeError")]),
    ]:
        record_session(org_a, start=now - minutes * 60_000, user={"id": user}, events=events)
    page.reload()
    assert page.locator("text=No sessions recorded yet").count() == 0
    assert page.inner_text("[data-stat=sessions]") == "3"
    assert page.inner_text("[data-stat=errors]") == "1"
    rows = page.locator("#recent-sessions tr")
    assert rows.count() == 3 and "maria.garcia@shop.test" in rows.first.inner_text()
    page.screenshot(path=str(artifacts_dir / "overview-with-sessions.png"), full_page=True)
    rows.first.click()
    page.wait_for_url("**/sessions/*/")
    assert failed == []  # the favicon too
    assert page.js_errors == []


def test_a_refused_test_event_points_to_the_settings_page_with_allowed_origins(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    Organization.objects.filter(pk=org_a.pk).update(allowed_origins=["https://shop.example.com"])
    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/o/{org_a.slug}/")
    page.click("#test-event-send")
    page.wait_for_selector("#test-event-status.err")
    status = page.inner_text("#test-event-status")
    assert "Settings → General (Allowed origins)" in status
    page.screenshot(path=str(artifacts_dir / "overview-test-event-refused.png"))
    page.click("#test-event-status a")
    page.wait_for_url(f"**/o/{org_a.slug}/settings/")
    assert page.locator("label[for=id_allowed_origins]").inner_text().startswith("Allowed origins")
    assert "General" in page.locator("nav a.active").inner_text()


def test_a_new_organizations_retention_cards_and_form_agree(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/o/{org_a.slug}/retention/")
    cards = page.locator(".lc-stat .n").all_inner_texts()
    form = {
        name: page.input_value(f"#id_{name}")
        for name in ("normal_days", "error_days", "ticket_grace_days", "telemetry_days")
    }
    assert cards[:4] == [
        f"{form['normal_days']} d",
        f"{form['error_days']} d",
        f"open + {form['ticket_grace_days']} d",
        f"{form['telemetry_days']} d",
    ]
    notice = page.locator("#retention-clamped")
    assert notice.is_visible() and "Your Free plan keeps" in notice.inner_text()
    assert "saved" not in notice.inner_text()  # a new organization saved nothing
    page.screenshot(path=str(artifacts_dir / "retention-new-organization.png"), full_page=True)
    page.click("text=Save policy")
    page.wait_for_selector(".flash-success")
    assert page.locator("#retention-clamped").count() == 0
    assert page.locator(".lc-stat .n").all_inner_texts()[:4] == cards[:4]
