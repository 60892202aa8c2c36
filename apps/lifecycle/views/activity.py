"""Daily worker counters shaped for the pages' small bar charts."""

from datetime import timedelta

from django.utils import timezone

from apps.orgs.models import Organization

from .. import counters


def daily_bars(*, organization: Organization, names: list[str], days: int = 14) -> dict:
    """``{"days": [{"day", "values": [...], "heights": [...], "total"}], "max": n}``: one entry
    per day (oldest first), heights in percent of the busiest day."""
    today = timezone.now().date()
    since = today - timedelta(days=days - 1)
    by_day = counters.daily(organization=organization, since=since, names=names)
    rows = []
    for offset in range(days):
        day = since + timedelta(days=offset)
        values = [by_day.get(day, {}).get(name, 0) for name in names]
        rows.append({"day": day, "values": values, "total": sum(values)})
    peak = max((row["total"] for row in rows), default=0)
    for row in rows:
        row["heights"] = [round(v * 100 / peak, 1) if peak else 0 for v in row["values"]]
        row["series"] = list(zip(names, row["values"], row["heights"], strict=True))
    return {"days": rows, "max": peak, "names": names}
