"""Which insights make deliveries: a new group fires once per matching rule, a group passing N
sessions in the last hour fires once per crossing, and checking again changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.alerts.models import AlertDelivery, AlertRule
from apps.alerts.services import alerts_evaluate, rule_create
from apps.alerts.tasks import evaluate_alerts
from apps.insights.models import Insight, Severity
from tests.alerts.conftest import add_sessions, make_insight, now_ms

pytestmark = pytest.mark.django_db


def _rule(organization, name, **fields):
    return rule_create(
        organization=organization,
        name=name,
        kind=fields.pop("kind", "new_insight"),
        channel="email",
        emails=["ops@example.test"],
        **fields,
    )


def test_a_new_insight_makes_exactly_one_delivery_per_matching_rule(org_a, org_b):
    everything = _rule(org_a, "everything")
    double = _rule(org_a, "double submits", finding_kinds=["double_submit"])
    _rule(org_a, "slow pages", finding_kinds=["slow_page"])
    _rule(org_a, "high only", min_severity=Severity.HIGH)
    _rule(org_a, "off", enabled=False)
    _rule(org_a, "busy", kind="threshold", threshold_sessions=5)
    _rule(org_b, "the other organization's")
    insight = make_insight(org_a, kind="double_submit", severity=Severity.MEDIUM)

    made = alerts_evaluate(organization=org_a)
    assert sorted(d.rule.name for d in made) == sorted([everything.name, double.name])
    assert {d.insight_id for d in made} == {insight.pk}
    assert {d.reason for d in made} == {"new_insight"}

    assert alerts_evaluate(organization=org_a) == []
    assert alerts_evaluate(organization=org_b) == []
    assert AlertDelivery.objects.count() == 2


def test_the_payload_names_the_insight_and_links_to_its_page(org_a, settings):
    settings.PUBLIC_URL = "https://qorrelate.example.test"
    _rule(org_a, "everything")
    insight = make_insight(org_a, sessions=2)
    payload = alerts_evaluate(organization=org_a)[0].payload
    assert payload["type"] == "alert.new_insight"
    assert payload["insight"]["kind"] == "double_submit"
    assert payload["insight"]["title"] == insight.title
    assert payload["insight"]["page"] == "/checkout"
    assert payload["insight"]["element"] == {
        "selector": "button#place-order",
        "text": "Place order",
    }
    assert payload["insight"]["sessions_affected"] == 2
    assert payload["insight"]["first_seen_at"] == insight.first_seen_at.isoformat()
    assert payload["insight"]["url"] == (
        f"https://qorrelate.example.test/o/{org_a.slug}/insights/{insight.pk}/"
    )


def test_an_insight_from_before_the_rule_was_made_does_not_fire(org_a):
    old = make_insight(org_a)
    Insight.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    _rule(org_a, "everything")
    assert alerts_evaluate(organization=org_a) == []


def test_an_insight_committed_just_after_a_check_is_found_by_the_next_one(org_a):
    rule = _rule(org_a, "everything")
    rule.created_at = timezone.now() - timedelta(hours=1)
    rule.save(update_fields=["created_at"])
    alerts_evaluate(organization=org_a)  # the check moves checked_at to now
    late = make_insight(org_a)
    # Written by a transaction that began before that check and committed after it.
    Insight.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(seconds=30))
    made = alerts_evaluate(organization=org_a)
    assert [d.insight_id for d in made] == [late.pk]


def test_a_threshold_fires_once_when_a_group_passes_n_sessions_in_an_hour(org_a):
    rule = _rule(org_a, "busy", kind="threshold", threshold_sessions=3)
    insight = make_insight(org_a, sessions=2)
    assert alerts_evaluate(organization=org_a) == []

    add_sessions(insight, 1)
    made = alerts_evaluate(organization=org_a)
    assert [(d.rule_id, d.insight_id, d.reason) for d in made] == [
        (rule.pk, insight.pk, "threshold")
    ]
    assert made[0].payload["insight"]["sessions_last_hour"] == 3
    assert made[0].payload["rule"]["threshold"] == 3

    # Still above (and climbing) a minute later, and again later in the hour: no repeat.
    add_sessions(insight, 2)
    soon = timezone.now() + timedelta(minutes=1)
    assert alerts_evaluate(organization=org_a, now=soon) == []
    assert alerts_evaluate(organization=org_a, now=soon + timedelta(minutes=30)) == []
    assert AlertDelivery.objects.filter(rule=rule).count() == 1


def test_a_group_still_above_the_threshold_an_hour_later_fires_once_more(org_a):
    rule = _rule(org_a, "busy", kind="threshold", threshold_sessions=2)
    insight = make_insight(org_a, sessions=2)
    assert len(alerts_evaluate(organization=org_a)) == 1
    later = timezone.now() + timedelta(minutes=61)
    add_sessions(insight, 2, at_ms=int(later.timestamp() * 1000) - 60_000)
    made = alerts_evaluate(organization=org_a, now=later)
    assert [d.insight_id for d in made] == [insight.pk]
    assert AlertDelivery.objects.filter(rule=rule).count() == 2


def test_sessions_older_than_an_hour_do_not_count_toward_a_threshold(org_a):
    _rule(org_a, "busy", kind="threshold", threshold_sessions=3)
    make_insight(org_a, sessions=5, at_ms=now_ms() - 2 * 3600 * 1000)
    assert alerts_evaluate(organization=org_a) == []


def test_a_threshold_rule_counts_only_its_kinds(org_a):
    _rule(
        org_a,
        "busy slow pages",
        kind="threshold",
        threshold_sessions=2,
        finding_kinds=["slow_page"],
    )
    make_insight(org_a, kind="double_submit", sessions=4)
    assert alerts_evaluate(organization=org_a) == []


def test_the_minute_task_checks_every_organization_with_a_rule_on(
    org_a, org_b, eager_celery, django_capture_on_commit_callbacks
):
    _rule(org_a, "a")
    _rule(org_b, "b")
    make_insight(org_a)
    make_insight(org_b)
    with django_capture_on_commit_callbacks(execute=False):
        assert evaluate_alerts() == 2
    assert sorted(AlertDelivery.objects.values_list("organization_id", flat=True)) == sorted(
        [org_a.pk, org_b.pk]
    )
    assert all(d.rule.organization_id == d.organization_id for d in AlertDelivery.objects.all())


def test_a_rule_turned_back_on_does_not_report_what_appeared_while_it_was_off(org_a):
    from apps.alerts.services import rule_update

    rule = _rule(org_a, "everything")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    AlertRule.objects.filter(pk=rule.pk).update(created_at=an_hour_ago, checked_at=an_hour_ago)
    rule = rule_update(organization=org_a, rule=rule, enabled=False)
    while_off = make_insight(org_a)
    Insight.objects.filter(pk=while_off.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert alerts_evaluate(organization=org_a) == []
    rule_update(organization=org_a, rule=rule, enabled=True)
    assert alerts_evaluate(organization=org_a) == []
    after = make_insight(org_a)
    assert [d.insight_id for d in alerts_evaluate(organization=org_a)] == [after.pk]
