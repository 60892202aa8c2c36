"""The Insights page in Chromium, with groups and a failed session and without anything: what a
customer sees first. Screenshots go to test-artifacts/."""

import pytest

from apps.insights.models import SessionScan, Severity
from tests.alerts.conftest import make_insight, make_session
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_insights_page_lists_groups_and_counts_the_sessions_it_could_not_read(
    live_server, page, artifacts_dir, alice, org_a
):
    make_insight(org_a, sessions=3)
    make_insight(org_a, kind="invisible_error", severity=Severity.MEDIUM, page="/cart")
    SessionScan.objects.create(organization=org_a, session=make_session(org_a), failed=True)
    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/insights/")
    notice = page.locator(".in-unread")
    assert notice.is_visible()
    assert "1 session of the last 14 days could not be read" in notice.inner_text()
    assert "Its recording is kept and plays as usual" in notice.inner_text()
    rows = page.locator(".in-list tbody tr")
    assert rows.count() == 2
    assert "Clicked 'Place order' twice" in rows.first.inner_text()
    page.screenshot(path=str(artifacts_dir / "insights-list.png"), full_page=True)


def test_an_empty_insights_page_shows_no_failure_notice(
    live_server, page, artifacts_dir, alice, org_a
):
    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/insights/")
    assert page.locator("text=Nothing found yet").is_visible()
    assert page.locator(".in-unread").count() == 0
    page.screenshot(path=str(artifacts_dir / "insights-empty.png"), full_page=True)
