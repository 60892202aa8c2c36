"""Current-period usage and plan limits for quota checks, cheap enough for the intake.

A check costs one Redis round trip: the not-yet-flushed counters of the period's days, the flush
generation and the organization's plan version, pipelined. The rollup sum from PostgreSQL and
the plan limits are cached in this process and reused while the flush generation and the plan
version are unchanged, so the database is asked again only after a flush or a plan change.
Without Redis both are cached for a few seconds instead.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date

import redis
from django.db.models import Sum

from . import counters
from .channel import channel
from .models import DailyUsage, Metric, Plan, Subscription
from .periods import Period, current_period, utc_today
from .subscriptions import subscription_ensure

SESSIONS = Metric.REPLAY_SESSIONS_STARTED.value
TELEMETRY = (Metric.SPANS_ACCEPTED.value, Metric.LOG_RECORDS_ACCEPTED.value)
QUOTA_METRICS = (SESSIONS, *TELEMETRY)

logger = logging.getLogger(__name__)

CACHE_SECONDS_WITH_REDIS = 120  # a safety net only: versions invalidate earlier
CACHE_SECONDS_WITHOUT_REDIS = 5
SOFT_PLAN_TRUST_SECONDS = 5
# A hard-limited organization far from its quota (below the 80 % notice on every quota) is not
# asked about again for this long: reaching 100 % would take a fifth of a month's quota within
# these seconds. From 80 % on, every check reads Redis.
FAR_BELOW_TRUST_SECONDS = 2
FAR_BELOW_RATIO = 0.8


@dataclass(frozen=True)
class PlanLimits:
    plan_id: int
    plan_code: str
    plan_name: str
    replay_sessions_quota: int | None
    telemetry_quota: int | None
    hard_limit: bool


@dataclass(frozen=True)
class QuotaSnapshot:
    limits: PlanLimits
    period: Period
    sessions: int
    telemetry: int

    def sessions_ratio(self) -> float | None:
        quota = self.limits.replay_sessions_quota
        return None if quota is None else self.sessions / max(quota, 1)

    def telemetry_ratio(self) -> float | None:
        quota = self.limits.telemetry_quota
        return None if quota is None else self.telemetry / max(quota, 1)


_limits_cache: dict[int, tuple[object, float, PlanLimits, float]] = {}
_rollup_cache: dict[tuple[int, date], tuple[object, float, dict[str, int], float]] = {}


_recent: dict[int, tuple[float, "QuotaSnapshot"]] = {}


def clear_caches() -> None:
    _limits_cache.clear()
    _rollup_cache.clear()
    _recent.clear()


def recent_far_below(*, organization_id: int) -> bool:
    """True when a check in this process, within seconds, found every quota below 80 %."""
    hit = _recent.get(organization_id)
    return hit is not None and time.monotonic() - hit[0] <= FAR_BELOW_TRUST_SECONDS


def limits_from_plan(plan: Plan) -> PlanLimits:
    return PlanLimits(
        plan_id=plan.pk,
        plan_code=plan.code,
        plan_name=plan.name,
        replay_sessions_quota=plan.replay_sessions_quota,
        telemetry_quota=plan.telemetry_quota,
        hard_limit=plan.hard_limit,
    )


def _load_limits(organization_id: int) -> PlanLimits:
    subscription = (
        Subscription.objects.select_related("plan").filter(organization_id=organization_id).first()
    )
    if subscription is None:
        subscription = subscription_ensure(organization_id=organization_id)
    return limits_from_plan(subscription.plan)


def _load_rollups(organization_id: int, period: Period) -> dict[str, int]:
    rows = (
        DailyUsage.objects.filter(
            organization_id=organization_id, day__gte=period.start, day__lt=period.end
        )
        .values("metric")
        .annotate(total=Sum("quantity"))
    )
    return {row["metric"]: int(row["total"] or 0) for row in rows}


def _cached(cache: dict, key, version, ttl: float, load):
    """(version, expiry, value, last confirmed): reused while the version matches and fresh."""
    now = time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] == version and hit[1] > now:
        cache[key] = (version, hit[1], hit[2], now)
        return hit[2]
    value = load()
    cache[key] = (version, now + ttl, value, now)
    return value


def _live_reads(organization_id: int, period: Period, metrics: tuple[str, ...]):
    """(live counters summed over the period's days so far, flush generation, plan version)."""
    ch = channel()
    if ch is None:
        return {}, None, None
    today = utc_today()
    days = [day for day in period.days if day <= today]
    try:
        return counters.sum_live(ch, organization_id, days, metrics)
    except redis.RedisError:
        logger.warning("usage counters: Redis unavailable, quota checks use the rollups only")
        return {}, None, None


def never_refuses(*, organization_id: int) -> bool:
    """True when this process saw, within seconds, that the plan has no hard limit: paid plans
    then skip the quota read entirely (a plan change reaches other processes within seconds)."""
    hit = _limits_cache.get(organization_id)
    if hit is None or time.monotonic() - hit[3] > SOFT_PLAN_TRUST_SECONDS:
        return False
    return not hit[2].hard_limit


def period_totals(
    *,
    organization_id: int,
    period: Period,
    metrics: tuple[str, ...] = tuple(Metric.values),
    cached: bool = True,
) -> dict[str, int]:
    """Rollups plus not-yet-flushed counters, for each metric, over one period."""
    live, generation, _plan_version = _live_reads(organization_id, period, metrics)
    if cached:
        ttl = CACHE_SECONDS_WITHOUT_REDIS if generation is None else CACHE_SECONDS_WITH_REDIS
        rollups = _cached(
            _rollup_cache,
            (organization_id, period.start),
            generation,
            ttl,
            lambda: _load_rollups(organization_id, period),
        )
    else:
        rollups = _load_rollups(organization_id, period)
    return {metric: rollups.get(metric, 0) + live.get(metric, 0) for metric in metrics}


def quota_snapshot(*, organization_id: int) -> QuotaSnapshot:
    period = current_period()
    live, generation, plan_version = _live_reads(organization_id, period, QUOTA_METRICS)
    ttl = CACHE_SECONDS_WITHOUT_REDIS if generation is None else CACHE_SECONDS_WITH_REDIS
    limits = _cached(
        _limits_cache, organization_id, plan_version, ttl, lambda: _load_limits(organization_id)
    )
    rollups = _cached(
        _rollup_cache,
        (organization_id, period.start),
        generation,
        ttl,
        lambda: _load_rollups(organization_id, period),
    )
    totals = {metric: rollups.get(metric, 0) + live.get(metric, 0) for metric in QUOTA_METRICS}
    snapshot = QuotaSnapshot(
        limits=limits,
        period=period,
        sessions=totals[SESSIONS],
        telemetry=sum(totals[metric] for metric in TELEMETRY),
    )
    ratios = [r for r in (snapshot.sessions_ratio(), snapshot.telemetry_ratio()) if r is not None]
    if all(ratio < FAR_BELOW_RATIO for ratio in ratios):
        _recent[organization_id] = (time.monotonic(), snapshot)
    else:
        _recent.pop(organization_id, None)
    return snapshot


def bump_plan_version(*, organization_id: int) -> None:
    """Make every process reload this organization's limits on its next check."""
    _limits_cache.pop(organization_id, None)
    _recent.pop(organization_id, None)
    conn = counters.client()
    if conn is not None:
        try:
            conn.incr(counters.plan_version_key(organization_id))
        except redis.RedisError:
            logger.warning("plan version not bumped; other processes see the change in minutes")
