"""Reads of plans, subscriptions, usage and invoices (keyword-only, organization required)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from apps.orgs.models import Organization

from . import counters
from .channel import channel
from .models import DailyUsage, Invoice, Metric, Plan, Subscription
from .periods import Period, current_period, utc_today
from .subscriptions import subscription_ensure
from .usage import SESSIONS, TELEMETRY, period_totals, quota_snapshot

NOTICE_RATIO = 0.8


def subscription_for(*, organization: Organization) -> Subscription:
    return subscription_ensure(organization_id=organization.pk)


def plan_retention_bounds(*, organization: Organization) -> dict:
    """The retention the organization's plan allows, in days: ``normal_days_min/max`` for
    ordinary sessions, ``error_days_min/max`` for sessions with errors, and
    ``ticket_grace_days``, the most days a session may outlive its closed ticket.
    A downgrade narrows these; retention clamps its policy into them."""
    plan = subscription_for(organization=organization).plan
    return {
        "plan": plan.code,
        "normal_days_min": plan.normal_retention_min_days,
        "normal_days_max": plan.normal_retention_max_days,
        "error_days_min": plan.error_retention_min_days,
        "error_days_max": plan.error_retention_max_days,
        "ticket_grace_days": plan.ticket_grace_days,
    }


def plans_for(*, organization: Organization) -> list[dict]:
    """Every plan with how it relates to the current one (current, upgrade, downgrade)."""
    current = subscription_for(organization=organization).plan
    rows = []
    for plan in Plan.objects.all():
        if plan.pk == current.pk:
            relation = "current"
        elif (plan.position, plan.pk) > (current.position, current.pk):
            relation = "upgrade"
        else:
            relation = "downgrade"
        rows.append({"plan": plan, "relation": relation})
    return rows


@dataclass
class DayUsage:
    day: date
    values: dict[str, int] = field(default_factory=dict)


def usage_daily(*, organization: Organization, period: Period) -> list[DayUsage]:
    """Each day of the period with every metric: rollups plus not-yet-flushed counters."""
    days = {day: DayUsage(day, dict.fromkeys(Metric.values, 0)) for day in period.days}
    rows = DailyUsage.objects.filter(
        organization=organization, day__gte=period.start, day__lt=period.end
    ).values_list("day", "metric", "quantity")
    for day, metric, quantity in rows:
        if metric in days[day].values:
            days[day].values[metric] += quantity
    conn = counters.client()
    past_days = [day for day in period.days if day <= utc_today()]
    if conn is not None and past_days:
        channel().barrier()  # this process's own increments first
        pipe = conn.pipeline(transaction=False)
        for day in past_days:
            pipe.hgetall(counters.live_key(organization.pk, day))
        for day, raw in zip(past_days, pipe.execute(), strict=True):
            for metric, amount in counters.decode_hash(raw).items():
                if metric in days[day].values:
                    days[day].values[metric] += amount
    return list(days.values())


@dataclass(frozen=True)
class MeterLine:
    key: str
    label: str
    used: int
    quota: int | None

    @property
    def ratio(self) -> float | None:
        return None if self.quota is None else self.used / max(self.quota, 1)

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else int(self.ratio * 100)

    @property
    def state(self) -> str:
        if self.ratio is None or self.ratio < NOTICE_RATIO:
            return "ok"
        return "over" if self.ratio >= 1 else "warn"


def usage_meters(*, organization: Organization, period: Period | None = None) -> list[MeterLine]:
    """The period's totals, the quota'd ones first."""
    period = period or current_period()
    plan = subscription_for(organization=organization).plan
    totals = period_totals(organization_id=organization.pk, period=period)
    telemetry = sum(totals[metric] for metric in TELEMETRY)
    return [
        MeterLine(
            "replay_sessions", "Replay sessions", totals[SESSIONS], plan.replay_sessions_quota
        ),
        MeterLine("telemetry", "Spans and log records", telemetry, plan.telemetry_quota),
        MeterLine("spans", "Spans", totals[Metric.SPANS_ACCEPTED], None),
        MeterLine("log_records", "Log records", totals[Metric.LOG_RECORDS_ACCEPTED], None),
        MeterLine(
            "sessions_kept",
            "Sessions kept after sampling",
            totals[Metric.REPLAY_SESSIONS_KEPT],
            None,
        ),
        MeterLine("replay_bytes", "Replay bytes stored", totals[Metric.REPLAY_BYTES_STORED], None),
        MeterLine("api_calls", "API calls", totals[Metric.API_CALLS], None),
    ]


def quota_banner(*, organization: Organization) -> dict | None:
    """What the dashboard banner says at 80 % and 100 % of a quota; None below."""
    snapshot = quota_snapshot(organization_id=organization.pk)
    limits = snapshot.limits
    candidates = [
        ("replay sessions", snapshot.sessions, limits.replay_sessions_quota),
        ("spans and log records", snapshot.telemetry, limits.telemetry_quota),
    ]
    worst = None
    for what, used, quota in candidates:
        if quota is None:
            continue
        ratio = used / max(quota, 1)
        if ratio >= NOTICE_RATIO and (worst is None or ratio > worst["ratio"]):
            worst = {"what": what, "used": used, "quota": quota, "ratio": ratio}
    if worst is None:
        return None
    worst.update(
        percent=int(worst["ratio"] * 100),
        level="over" if worst["ratio"] >= 1 else "notice",
        plan_name=limits.plan_name,
        hard_limit=limits.hard_limit,
        resets_on=snapshot.period.end,
    )
    return worst


def invoices_list(*, organization: Organization) -> QuerySet[Invoice]:
    return Invoice.objects.filter(organization=organization).order_by("-period_start", "-id")


def invoice_get(*, organization: Organization, invoice_id: int) -> Invoice:
    return (
        Invoice.objects.select_related("plan")
        .prefetch_related("lines")
        .get(pk=invoice_id, organization=organization)
    )
