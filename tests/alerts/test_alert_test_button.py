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


def test_an_organization_sends_at_most_thirty_tests_an_hour_whatever_its_number_of_rules(
    org_a, org_b, webhook_receiver
):
    """One rule after another must not turn Send test into a mail or request cannon."""
    from apps.alerts.services import TESTS_PER_HOUR

    rules = [_rule(org_a, webhook_receiver.url, name=f"R{i}") for i in range(TESTS_PER_HOUR + 1)]
    for rule in rules[:TESTS_PER_HOUR]:
        assert rule_send_test(organization=org_a, rule=rule).status == "sent"
    with pytest.raises(RateLimited) as refused:
        rule_send_test(organization=org_a, rule=rules[-1])
    assert 3500 <= refused.value.retry_after <= 3600
    assert len(webhook_receiver.requests) == TESTS_PER_HOUR
    # An hour after the first, one more; another organization has its own allowance.
    later = timezone.now() + timedelta(hours=1, seconds=1)
    assert rule_send_test(organization=org_a, rule=rules[-1], now=later).status == "sent"
    assert rule_send_test(organization=org_b, rule=_rule(org_b, webhook_receiver.url)).status == (
        "sent"
    )
