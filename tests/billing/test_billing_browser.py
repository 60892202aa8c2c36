"""The usage page and an invoice in a real browser (screenshots in test-artifacts/)."""

from datetime import timedelta

import pytest

from apps.billing import rollups
from apps.billing.invoicing import invoice_generate, invoice_set_status
from apps.billing.models import SubscriptionChange
from apps.billing.periods import current_period, utc_today
from apps.orgs.models import Organization
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _month_of_usage(organization, period, *, sessions_per_day, spans_per_day, until):
    for index, day in enumerate(period.days):
        if day > until:
            break
        wave = 0.65 + 0.35 * ((index * 7) % 10) / 10 + (0.25 if day.weekday() < 5 else -0.2)
        rollups.add(
            organization_id=organization.pk,
            day=day,
            amounts={
                "replay_sessions_started": int(sessions_per_day * wave),
                "replay_sessions_kept": int(sessions_per_day * wave * 0.4),
                "replay_bytes_stored": int(sessions_per_day * wave * 180_000),
                "spans_accepted": int(spans_per_day * wave),
                "log_records_accepted": int(spans_per_day * wave * 0.3),
                "api_calls": 40 + index,
            },
        )


def test_the_usage_page_and_a_printable_invoice_in_a_browser(
    live_server, page, artifacts_dir, org_a, alice, put_on_plan
):
    Organization.objects.filter(pk=org_a.pk).update(
        created_at=org_a.created_at - timedelta(days=100)
    )
    put_on_plan(org_a, "team")
    period = current_period()
    SubscriptionChange.objects.filter(organization=org_a).update(
        created_at=period.previous().previous().start_datetime()
    )
    elapsed = (utc_today() - period.start).days + 1
    _month_of_usage(
        org_a,
        period,
        sessions_per_day=9_200 / elapsed,
        spans_per_day=11_000_000 / elapsed,
        until=utc_today(),
    )
    for back, sessions in ((period.previous(), 420), (period.previous().previous(), 300)):
        _month_of_usage(
            org_a, back, sessions_per_day=sessions, spans_per_day=500_000, until=back.last_day
        )
        invoice_generate(organization=org_a, period=back)
    oldest = org_a.invoices.order_by("period_start").first()
    invoice_set_status(organization=org_a, invoice_id=oldest.pk, status="paid")
    latest = org_a.invoices.order_by("-period_start").first()

    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/billing/")

    assert page.locator("h1").first.inner_text() == "Usage & billing"
    assert page.locator("#quota-banner").is_visible()
    assert "of your Team quota used" in page.locator("#quota-banner").inner_text()
    assert page.locator("svg.bl-chart").count() == 2
    assert page.locator("#chart-sessions .bl-quota-line").count() == 1
    assert page.locator(".bl-plan-current").get_attribute("data-plan") == "team"
    assert page.locator("#invoices tbody tr").count() == 2
    page.screenshot(path=str(artifacts_dir / "billing-usage.png"), full_page=True)
    page.locator("#chart-sessions").screenshot(path=str(artifacts_dir / "billing-chart.png"))

    page.click(f"text={latest.number}")
    page.wait_for_url(f"**/billing/invoices/{latest.pk}/")
    assert page.locator("#invoice-total").inner_text() == f"${latest.total_cents / 100:,.2f}"
    assert latest.total_cents > 99_00  # base price and some overage
    page.screenshot(path=str(artifacts_dir / "billing-invoice.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".sidebar").is_visible()
    assert not page.locator("text=Print or save as PDF").is_visible()
    page.screenshot(path=str(artifacts_dir / "billing-invoice-print.png"), full_page=True)

    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/o/{org_a.slug}/billing/")
    page.click("#plans [data-plan=business] button[type=submit]")
    page.wait_for_url(f"**/o/{org_a.slug}/billing/")
    assert "is on the Business plan" in page.locator(".flash-success").inner_text()
    assert page.locator(".bl-plan-current").get_attribute("data-plan") == "business"


def test_a_free_organization_at_its_quota_sees_the_stop_banner_and_the_way_out(
    live_server, page, artifacts_dir, org_a, alice
):
    period = current_period()
    _month_of_usage(
        org_a,
        period,
        sessions_per_day=1_150 / ((utc_today() - period.start).days + 1),
        spans_per_day=20_000,
        until=utc_today(),
    )
    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/billing/")

    banner = page.locator("#quota-banner")
    assert banner.get_attribute("data-level") == "over"
    assert "New replay sessions are refused until" in banner.inner_text()
    assert "quota reached" in page.locator("#meter-replay_sessions").inner_text()
    page.screenshot(path=str(artifacts_dir / "billing-free-at-quota.png"), full_page=False)
    banner.locator("text=Upgrade").click()
    page.wait_for_url(f"**/o/{org_a.slug}/billing/#plans")
