"""The real path with a live worker: sessions through the intake, the worker's detectors, the
minute task's check on the worker, and signed webhooks at a real server — for a new insight,
for the same insight back after it was resolved (a regression), and for one that got worse."""

import time

import orjson
import pytest

from apps.alerts.models import AlertDelivery, AlertRule
from apps.alerts.services import rule_create
from apps.alerts.signing import verify_signature
from apps.alerts.tasks import evaluate_alerts
from apps.insights.models import Insight, InsightStatus, Severity
from apps.insights.services import insight_set_status
from tests.insights import events as e
from tests.replay import rrweb

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]


def wait_for(condition, what, worker):
    deadline = time.monotonic() + 90  # a condition with a generous bound for a loaded machine
    while not condition():
        assert time.monotonic() < deadline, f"{what}\n{worker.output()[-3000:]}"
        time.sleep(0.2)


def record_double_submit(post_batch, organization, *, second_status: int) -> None:
    """A recorded session, now: "Place order" clicked twice 181 ms apart, both POSTs sent; the
    recorder's last batch makes the worker run the detectors."""
    t = int(time.time() * 1000)
    sid = rrweb.new_session_id()
    first = [*e.page(t), e.click(t + 1000), e.network(t + 1005, duration_ms=120)]
    last = [
        e.click(t + 1181),
        e.network(t + 1186, status=second_status),
        e.idle(t + 10_000),
    ]
    assert post_batch(organization, rrweb.envelope(sid, 0, first)).status_code == 200
    assert post_batch(organization, rrweb.envelope(sid, 1, last, ended=True)).status_code == 200


def checked(rule, after):
    return lambda: AlertRule.objects.get(pk=rule.pk).checked_at > after


def alerts(receiver) -> list[dict]:
    return [orjson.loads(request["body"]) for request in receiver.requests]


def test_a_resolved_insight_seen_again_sends_a_regression_alert_once(
    post_batch, org_a, webhook_receiver, celery_worker_process
):
    worker = celery_worker_process
    rule = rule_create(
        organization=org_a,
        name="Checkout",
        kind="new_insight",
        channel="webhook",
        webhook_url=webhook_receiver.url,
    )
    record_double_submit(post_batch, org_a, second_status=500)
    wait_for(lambda: Insight.objects.filter(organization=org_a).exists(), "the insight", worker)
    evaluate_alerts()
    wait_for(lambda: len(webhook_receiver.requests) == 1, "the new-insight alert", worker)
    insight = Insight.objects.get(organization=org_a)
    insight_set_status(organization=org_a, insight=insight, status=InsightStatus.RESOLVED)

    record_double_submit(post_batch, org_a, second_status=500)
    wait_for(lambda: Insight.objects.get(pk=insight.pk).regressed, "the insight reopened", worker)
    evaluate_alerts()
    wait_for(lambda: len(webhook_receiver.requests) == 2, "the regression alert", worker)

    new, regression = alerts(webhook_receiver)
    assert new["type"] == "alert.new_insight"
    assert regression["type"] == "alert.regression"
    assert regression["insight"]["id"] == insight.pk
    assert regression["insight"]["status"] == "new"
    assert regression["insight"]["sessions_affected"] == 2
    request = webhook_receiver.requests[1]
    assert verify_signature(
        secret=rule.secret,
        header=request["headers"]["X-Qorrelate-Signature"],
        body=request["body"],
        now=time.time(),
    )
    # Another check finds the same regression and makes no second delivery.
    before = AlertRule.objects.get(pk=rule.pk).checked_at
    evaluate_alerts()
    wait_for(checked(rule, before), "the next check", worker)
    assert AlertDelivery.objects.filter(organization=org_a, reason="regression").count() == 1
    assert len(webhook_receiver.requests) == 2


def test_an_insight_that_gets_worse_is_reported_at_its_new_severity(
    post_batch, org_a, webhook_receiver, celery_worker_process
):
    worker = celery_worker_process
    rule = rule_create(
        organization=org_a,
        name="Only what is serious",
        kind="new_insight",
        channel="webhook",
        webhook_url=webhook_receiver.url,
        min_severity=Severity.HIGH,
    )
    # Both answered 200: a double submit of medium severity, below the rule's minimum.
    record_double_submit(post_batch, org_a, second_status=200)
    wait_for(lambda: Insight.objects.filter(organization=org_a).exists(), "the insight", worker)
    insight = Insight.objects.get(organization=org_a)
    assert insight.severity == Severity.MEDIUM
    before = AlertRule.objects.get(pk=rule.pk).checked_at
    evaluate_alerts()
    wait_for(checked(rule, before), "the first check", worker)
    assert webhook_receiver.requests == []

    # The same button in another session: the second order failed. The group is now high.
    record_double_submit(post_batch, org_a, second_status=500)
    wait_for(
        lambda: Insight.objects.get(pk=insight.pk).severity == Severity.HIGH,
        "the insight escalated",
        worker,
    )
    evaluate_alerts()
    wait_for(lambda: len(webhook_receiver.requests) == 1, "the escalation alert", worker)
    (sent,) = alerts(webhook_receiver)
    assert sent["type"] == "alert.escalation"
    assert sent["insight"]["id"] == insight.pk
    assert sent["insight"]["severity"] == "high"
    assert "the second returned 500" in sent["insight"]["title"]
