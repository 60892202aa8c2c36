"""Reads of alerts: the rules and the delivery log. The page and the REST API share them."""

from django.db.models import QuerySet

from apps.core.errors import NotFound
from apps.orgs.models import Organization

from .models import AlertDelivery, AlertRule


def rules_list(*, organization: Organization) -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(organization=organization).order_by("name", "id")


def rule_get(*, organization: Organization, rule_id) -> AlertRule:
    try:
        pk = int(rule_id)
    except (TypeError, ValueError):
        raise NotFound("No such alert rule.") from None
    rule = AlertRule.objects.filter(organization=organization, pk=pk).first()
    if rule is None:
        raise NotFound("No such alert rule.")
    return rule


def deliveries_search(
    *,
    organization: Organization,
    rule: AlertRule | None = None,
    status: str | None = None,
    reason: str | None = None,
) -> QuerySet[AlertDelivery]:
    queryset = AlertDelivery.objects.filter(organization=organization).select_related(
        "rule", "insight"
    )
    if rule is not None:
        queryset = queryset.filter(rule=rule)
    if status:
        queryset = queryset.filter(status=status)
    if reason:
        queryset = queryset.filter(reason=reason)
    return queryset.order_by("-created_at", "-id")
