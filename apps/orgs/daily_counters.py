"""Per-organization, per-day named counters kept in a model of the caller's (fields
``organization``, ``day``, ``name``, ``value``, unique together on the first three), so every
process adds to the same numbers and they survive a Redis restart."""

from datetime import date

from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Organization


def add(
    model: type[models.Model],
    *,
    organization_id: int,
    amounts: dict[str, int],
    day: date | None = None,
) -> None:
    day = day or timezone.now().date()
    for name, amount in amounts.items():
        if not amount:
            continue
        rows = model.objects.filter(organization_id=organization_id, day=day, name=name)
        if rows.update(value=F("value") + amount):
            continue
        try:
            with transaction.atomic():
                model.objects.create(
                    organization_id=organization_id, day=day, name=name, value=amount
                )
        except IntegrityError:  # created meanwhile by another worker
            rows.update(value=F("value") + amount)


def totals(model: type[models.Model], *, organization: Organization, since: date) -> dict[str, int]:
    rows = (
        model.objects.filter(organization=organization, day__gte=since)
        .values("name")
        .annotate(total=Sum("value"))
    )
    return {row["name"]: row["total"] for row in rows}


def daily(
    model: type[models.Model], *, organization: Organization, since: date, names: list[str]
) -> dict[date, dict]:
    out: dict[date, dict] = {}
    rows = model.objects.filter(organization=organization, day__gte=since, name__in=names)
    for day, name, value in rows.values_list("day", "name", "value"):
        out.setdefault(day, dict.fromkeys(names, 0))[name] = value
    return out
