"""The "Send test" button answers once per rule every ten seconds: a second press is a 429
with the wait, in the API (JSON and Retry-After) and on the page (a message); nothing is
sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.alerts.models import AlertDelivery
from apps.alerts.services import TEST_EVERY, rule_create, rule_send_test
from apps.core.errors import RateLimited

pytestmark = pytest.mark.django_db


def _rule(organization, url, name="Checkout"):
    return rule_create(
        organization=organization,
        name=name,
        kind="new_insight",
        channel="webhook",
        webhook_url=url,
    )


def test_a_second_test_within_ten_seconds_is_a_429_with_retry_after_and_sends_nothing(
    owner_client, org_a, alice, webhook_receiver
):
    rule = _rule(org_a, webhook_receiver.url)
    first = owner_client.post(f"/api/v1/alert-rules/{rule.pk}/test")
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "sent"

    again = owner_client.post(f"/api/v1/alert-rules/{rule.pk}/test")
    assert again.status_code == 429
    error = again.json()["error"]
    assert error["code"] == "throttled"
    assert "try again in" in error["message"]
    assert 1 <= int(again["Retry-After"]) <= TEST_EVERY.total_seconds()
    assert len(webhook_receiver.requests) == 1
    assert AlertDelivery.objects.filter(organization=org_a, reason="test").count() == 1

    # Another rule has its own allowance.
    other = _rule(org_a, webhook_receiver.url, name="Other")
    assert owner_client.post(f"/api/v1/alert-rules/{other.pk}/test").status_code == 200


def test_a_test_is_allowed_again_once_ten_seconds_have_passed(org_a, webhook_receiver):
    rule = _rule(org_a, webhook_receiver.url)
    rule_send_test(organization=org_a, rule=rule)
    with pytest.raises(RateLimited):
        rule_send_test(organization=org_a, rule=rule, now=timezone.now() + timedelta(seconds=9))
    later = rule_send_test(
        organization=org_a, rule=rule, now=timezone.now() + TEST_EVERY + timedelta(seconds=1)
    )
    assert later.status == "sent"
    assert len(webhook_receiver.requests) == 2


def test_pressing_send_test_twice_on_the_page_says_to_wait(client, org_a, alice, webhook_receiver):
    rule = _rule(org_a, webhook_receiver.url)
    client.force_login(alice)
    press = {"action": "test", "rule_id": str(rule.pk)}
    first = client.post(f"/o/{org_a.slug}/alerts/", press, follow=True)
    assert first.status_code == 200
    assert f"Test sent to {webhook_receiver.url}" in first.content.decode()

    again = client.post(f"/o/{org_a.slug}/alerts/", press)
    assert again.status_code == 429
    assert "A test was sent for this rule moments ago; try again in" in again.content.decode()
    assert len(webhook_receiver.requests) == 1
