"""Per-organization, per-day audit counters in the database (every worker adds to the same
numbers; the Privacy page and operators read them)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from apps.orgs.models import Organization

from .models import AuditCounter


def add(*, organization_id: int, amounts: dict[str, int], day: date | None = None) -> None:
    day = day or timezone.now().date()
    for name, amount in amounts.items():
        if not amount:
            continue
        rows = AuditCounter.objects.filter(organization_id=organization_id, day=day, name=name)
        if rows.update(value=F("value") + amount):
            continue
        try:
            with transaction.atomic():
                AuditCounter.objects.create(
                    organization_id=organization_id, day=day, name=name, value=amount
                )
        except IntegrityError:
            rows.update(value=F("value") + amount)


def totals(*, organization: Organization, since: date) -> dict[str, int]:
    rows = (
        AuditCounter.objects.filter(organization=organization, day__gte=since)
        .values("name")
        .annotate(total=Sum("value"))
    )
    return {row["name"]: row["total"] for row in rows}
