"""The Alerts page in Chromium: the empty state, making a webhook rule (its secret shown once),
Send test reaching a real server, the delivery log, deleting behind a confirmation; no CSP
refusal. Screenshots go to test-artifacts/."""

import pytest

from apps.alerts.models import AlertDelivery, AlertRule
from apps.alerts.services import alerts_evaluate, rule_create
from tests.alerts.conftest import make_insight
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_makes_tests_and_deletes_a_rule_in_the_browser(
    live_server, page, artifacts_dir, alice, org_a, webhook_receiver
):
    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/alerts/")
    assert page.locator("h1").inner_text() == "Alerts"
    assert page.locator("text=No alert rules yet").is_visible()
    page.screenshot(path=str(artifacts_dir / "alerts-empty.png"), full_page=True)

    # Fields that do not apply stay out of the way (page behaviour data-show-if).
    assert not page.locator("#id_threshold_sessions").is_visible()
    assert not page.locator("#id_emails").is_visible()
    page.check("input[name=kind][value=threshold]")
    assert page.locator("#id_threshold_sessions").is_visible()
    page.check("input[name=channel][value=email]")
    assert page.locator("#id_emails").is_visible()
    assert not page.locator("#id_webhook_url").is_visible()

    page.fill("#id_name", "Checkout problems")
    page.check("input[name=kind][value=new_insight]")
    page.check("input[name=finding_kinds][value=double_submit]")
    page.check("input[name=channel][value=webhook]")
    page.fill("#id_webhook_url", webhook_receiver.url)
    page.click("button:has-text('Create rule')")
    page.wait_for_load_state()
    rule = AlertRule.objects.get(organization=org_a)
    assert page.locator("#new-secret").inner_text() == rule.secret

    page.click("button:has-text('Send test')")
    page.wait_for_load_state()
    assert page.locator(f"text=Test sent to {webhook_receiver.url}").is_visible()
    assert len(webhook_receiver.requests) == 1
    assert page.locator("#new-secret").count() == 0  # shown once

    make_insight(org_a)
    (delivery,) = alerts_evaluate(organization=org_a)
    from apps.alerts.tasks import send_delivery

    send_delivery.apply(args=[org_a.pk, delivery.pk])
    page.reload()
    assert page.locator(".lc-log tbody tr").count() == 2
    page.screenshot(path=str(artifacts_dir / "alerts-rules-and-log.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"button[aria-label='Delete {rule.name}']")
    page.wait_for_load_state()
    assert page.locator("text=No alert rules yet").is_visible()
    assert not AlertRule.objects.filter(organization=org_a).exists()
    assert not AlertDelivery.objects.filter(organization=org_a).exists()


def test_a_viewer_sees_rules_and_the_log_without_buttons_that_change_them(
    live_server, page, artifacts_dir, vera, org_a
):
    rule_create(
        organization=org_a,
        name="Busy pages",
        kind="threshold",
        threshold_sessions=25,
        channel="email",
        emails=["ops@acme.test"],
    )
    log_in(page, live_server, vera.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/alerts/")
    assert page.locator("text=Busy pages").is_visible()
    assert page.locator("button:has-text('Send test')").count() == 0
    assert page.locator("text=Only admins and owners change alert rules.").is_visible()
    page.screenshot(path=str(artifacts_dir / "alerts-viewer.png"), full_page=True)
