"""Celery tasks of alerts: they take ids and re-scope by organization. Evaluating or sending
twice is harmless (deliveries are unique per rule and event; a sent one is not sent again)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.orgs.models import Organization

from . import services
from .models import AlertDelivery, AlertRule, DeliveryStatus

logger = logging.getLogger(__name__)
# A pending delivery whose retry is this late lost its message (a broker or worker restart):
# the sweep queues it again.
LOST_AFTER = timedelta(minutes=10)
SWEEP_LIMIT = 500


@shared_task(
    bind=True,
    name="apps.alerts.tasks.send_delivery",
    ignore_result=True,
    max_retries=services.MAX_ATTEMPTS - 1,
)
def send_delivery(self, organization_id: int, delivery_pk: int) -> str | None:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    delivery = services.delivery_attempt(organization=organization, delivery_id=delivery_pk)
    if delivery is None:
        return None
    if delivery.status == DeliveryStatus.PENDING:
        raise self.retry(countdown=services.backoff_seconds(delivery.attempts))
    return delivery.status


@shared_task(name="apps.alerts.tasks.evaluate_organization", ignore_result=True)
def evaluate_organization(organization_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return len(services.alerts_evaluate(organization=organization))


@shared_task(name="apps.alerts.tasks.evaluate_alerts", ignore_result=True)
def evaluate_alerts() -> int:
    """Every minute: each organization with a rule on is checked, and lost deliveries are
    queued again."""
    organizations = list(
        AlertRule.objects.filter(enabled=True)
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )
    for organization_id in organizations:
        evaluate_organization.delay(organization_id)
    lost = list(
        AlertDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=timezone.now() - LOST_AFTER
        )
        .order_by("next_attempt_at")
        .values_list("organization_id", "pk")[:SWEEP_LIMIT]
    )
    for organization_id, delivery_pk in lost:
        send_delivery.delay(organization_id, delivery_pk)
    if lost:
        logger.info("alerts: queued lost deliveries again", extra={"deliveries": len(lost)})
    return len(organizations)


__all__ = ["evaluate_alerts", "evaluate_organization", "send_delivery"]
