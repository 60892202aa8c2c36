"""Writes of alerts: rules, the deliveries they make, and sending one.

Evaluation runs every minute (tasks.evaluate_alerts). A delivery is a row before it is a
message: made once per (rule, what happened) thanks to its dedupe key, then sent by a task that
retries with backoff. Sending locks the row, so two tasks for one delivery send it once.
"""

import logging
import math
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.errors import DomainError, RateLimited
from apps.insights.kinds import LABELS
from apps.insights.models import Finding, Insight, Severity
from apps.orgs.models import Organization

from . import channels
from .models import (
    AlertDelivery,
    AlertRule,
    Channel,
    DeliveryReason,
    DeliveryStatus,
    RuleKind,
)
from .payload import delivery_payload, insight_payload, sample_insight
from .signing import new_secret

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # the first try and five retries
FIRST_BACKOFF_SECONDS = 30
# Insights are written in the detectors' transaction, which may commit after a check that
# started earlier; looking back this far again finds them (the dedupe key stops repeats).
NEW_INSIGHT_OVERLAP = timedelta(minutes=5)
THRESHOLD_WINDOW = timedelta(hours=1)
MAX_EMAILS = 20
# "Send test" answers at most once per rule this often.
TEST_EVERY = timedelta(seconds=10)
# And at most this many per organization an hour, whatever the number of rules: a test goes to
# any address an admin types, so rule after rule must not make the install a mail or request
# cannon (the per-rule wait alone allows 360 an hour per rule).
TESTS_PER_HOUR = 30


def backoff_seconds(attempts: int) -> int:
    """30 s after the first failure, then 60, 120, 240, 480."""
    return FIRST_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)


# Rules


def _clean_rule(fields: dict) -> dict:
    kind, channel = fields.get("kind"), fields.get("channel")
    if kind not in RuleKind.values:
        raise DomainError(f"kind: one of {', '.join(RuleKind.values)}.")
    if channel not in Channel.values:
        raise DomainError(f"channel: one of {', '.join(Channel.values)}.")
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError("name: give the rule a name.")
    kinds = sorted(set(fields.get("finding_kinds") or []))
    unknown = [k for k in kinds if k not in LABELS]
    if unknown:
        raise DomainError(f"finding_kinds: unknown kind {unknown[0]!r}.")
    severity = fields.get("min_severity") or Severity.LOW
    if severity not in Severity.values:
        raise DomainError("min_severity: 1 (low), 2 (medium) or 3 (high).")
    threshold = fields.get("threshold_sessions")
    if kind == RuleKind.THRESHOLD:
        if not isinstance(threshold, int) or threshold < 1:
            raise DomainError(
                "threshold_sessions: a threshold rule needs a number of sessions ≥ 1."
            )
    else:
        threshold = None
    url = (fields.get("webhook_url") or "").strip()
    emails = [e.strip() for e in fields.get("emails") or [] if e and e.strip()]
    if channel == Channel.WEBHOOK:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError("webhook_url: an http:// or https:// address.") from None
        emails = []
    else:
        if not emails:
            raise DomainError("emails: at least one address.")
        if len(emails) > MAX_EMAILS:
            raise DomainError(f"emails: at most {MAX_EMAILS} addresses.")
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise DomainError(f"emails: {email[:80]!r} is not an e-mail address.") from None
        url = ""
    return {
        "name": name[:120],
        "kind": kind,
        "channel": channel,
        "finding_kinds": kinds,
        "min_severity": severity,
        "threshold_sessions": threshold,
        "webhook_url": url,
        "emails": emails,
        "enabled": bool(fields.get("enabled", True)),
    }


def rule_create(
    *,
    organization: Organization,
    name: str,
    kind: str,
    channel: str,
    finding_kinds: Iterable[str] = (),
    min_severity: int = Severity.LOW,
    threshold_sessions: int | None = None,
    webhook_url: str = "",
    emails: Iterable[str] = (),
    enabled: bool = True,
) -> AlertRule:
    """A new rule; only what happens from now on is reported. Its webhook secret is on the
    returned object (the one time it is shown)."""
    cleaned = _clean_rule(
        {
            "name": name,
            "kind": kind,
            "channel": channel,
            "finding_kinds": list(finding_kinds),
            "min_severity": min_severity,
            "threshold_sessions": threshold_sessions,
            "webhook_url": webhook_url,
            "emails": list(emails),
            "enabled": enabled,
        }
    )
    return AlertRule.objects.create(
        organization=organization, secret=new_secret(), checked_at=timezone.now(), **cleaned
    )


@transaction.atomic
def rule_update(*, organization: Organization, rule: AlertRule, **changes) -> AlertRule:
    rule = AlertRule.objects.select_for_update().get(organization=organization, pk=rule.pk)
    allowed = {
        "name",
        "kind",
        "channel",
        "finding_kinds",
        "min_severity",
        "threshold_sessions",
        "webhook_url",
        "emails",
        "enabled",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"{sorted(unknown)[0]}: cannot be changed.")
    current = {field: getattr(rule, field) for field in allowed}
    cleaned = _clean_rule({**current, **changes})
    if cleaned["enabled"] and not rule.enabled:
        # Turned back on: report what happens from now, not what happened while it was off.
        rule.checked_at = timezone.now()
    for field, value in cleaned.items():
        setattr(rule, field, value)
    rule.save()
    return rule


@transaction.atomic
def rule_rotate_secret(*, organization: Organization, rule: AlertRule) -> AlertRule:
    rule = AlertRule.objects.select_for_update().get(organization=organization, pk=rule.pk)
    rule.secret = new_secret()
    rule.save(update_fields=["secret", "updated_at"])
    return rule


def rule_delete(*, organization: Organization, rule: AlertRule) -> None:
    AlertRule.objects.filter(organization=organization, pk=rule.pk).delete()


# Deliveries


def _enqueue(organization_id: int, delivery_id: int) -> None:
    from .tasks import send_delivery  # the task module imports this one

    send_delivery.delay(organization_id, delivery_id)


def _delivery_for(
    *,
    organization: Organization,
    rule: AlertRule,
    reason: str,
    dedupe_key: str,
    payload: dict,
    insight: Insight | None,
) -> AlertDelivery | None:
    """The delivery's row (once per key), queued for sending after commit; None when it was
    made before."""
    delivery, created = AlertDelivery.objects.get_or_create(
        organization=organization,
        rule=rule,
        dedupe_key=dedupe_key,
        defaults={
            "insight": insight,
            "reason": reason,
            "channel": rule.channel,
            "payload": payload,
            "next_attempt_at": timezone.now(),
        },
    )
    if not created:
        return None
    # robust: a broker that refuses one message does not stop the others (the minute task
    # queues a pending delivery again).
    transaction.on_commit(lambda: _enqueue(organization.pk, delivery.pk), robust=True)
    return delivery


def delivery_attempt(
    *, organization: Organization, delivery_id: int, final: bool = False, now=None
) -> AlertDelivery | None:
    """Sends a pending delivery once and records how it went. A sent or failed one is left
    alone, so running this twice sends once. ``final``: no retry follows (the test button)."""
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update(of=("self",))
            .select_related("rule")
            .filter(organization=organization, pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery
        now = now or timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            code = channels.send(
                channel=delivery.channel,
                rule=delivery.rule,
                payload=delivery.payload,
                delivery_id=delivery.pk,
            )
        except channels.ChannelError as exc:
            delivery.last_error, delivery.response_code = exc.message, exc.response_code
            if final or exc.permanent or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            else:
                delivery.next_attempt_at = now + timedelta(
                    seconds=backoff_seconds(delivery.attempts)
                )
            logger.info(
                "alerts: delivery failed",
                extra={
                    "organization_id": organization.pk,
                    "delivery": delivery.pk,
                    "attempts": delivery.attempts,
                    "error": exc.message,
                },
            )
        else:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
            delivery.response_code, delivery.last_error = code, ""
            delivery.next_attempt_at = None
        delivery.save()
    return delivery


def rule_send_test(
    *, organization: Organization, rule: AlertRule, now: datetime | None = None
) -> AlertDelivery:
    """Sends a sample payload through the rule's channel now (one try) and logs it; at most
    one test per rule every TEST_EVERY (a button held down must not flood a receiver or a
    mailbox), else RateLimited."""
    now = now or timezone.now()
    with transaction.atomic():
        # The rule's row lock orders two presses at once: the second sees the first's test.
        rule = AlertRule.objects.select_for_update().get(organization=organization, pk=rule.pk)
        last = (
            AlertDelivery.objects.filter(
                organization=organization,
                rule=rule,
                reason=DeliveryReason.TEST,
                created_at__gt=now - TEST_EVERY,
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            wait = max(1, math.ceil((last + TEST_EVERY - now).total_seconds()))
            raise RateLimited(
                f"A test was sent for this rule moments ago; try again in {wait} s.",
                retry_after=wait,
            )
        hour = list(
            AlertDelivery.objects.filter(
                organization=organization,
                reason=DeliveryReason.TEST,
                created_at__gt=now - timedelta(hours=1),
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:TESTS_PER_HOUR]
        )
        if len(hour) >= TESTS_PER_HOUR:
            wait = max(1, math.ceil((hour[-1] + timedelta(hours=1) - now).total_seconds()))
            raise RateLimited(
                f"{TESTS_PER_HOUR} tests were sent in the last hour; try again in {wait} s.",
                retry_after=wait,
            )
        delivery = AlertDelivery.objects.create(
            organization=organization,
            rule=rule,
            reason=DeliveryReason.TEST,
            dedupe_key=f"test:{uuid.uuid4()}",
            channel=rule.channel,
            payload=delivery_payload(
                organization=organization,
                rule=rule,
                reason=DeliveryReason.TEST,
                insight=sample_insight(organization=organization),
                threshold=rule.threshold_sessions,
            ),
        )
    return delivery_attempt(organization=organization, delivery_id=delivery.pk, final=True)


# Evaluation


def _matching_insights(rule: AlertRule):
    queryset = Insight.objects.filter(
        organization=rule.organization, severity__gte=rule.min_severity
    )
    if rule.finding_kinds:
        queryset = queryset.filter(kind__in=rule.finding_kinds)
    return queryset


def _insight_delivery(organization, rule, insight, reason: str, dedupe_key: str):
    return _delivery_for(
        organization=organization,
        rule=rule,
        reason=reason,
        dedupe_key=dedupe_key,
        payload=delivery_payload(
            organization=organization,
            rule=rule,
            reason=reason,
            insight=insight_payload(organization=organization, insight=insight),
        ),
        insight=insight,
    )


def _new_insights(organization: Organization, rule: AlertRule, now: datetime) -> list:
    """New insights, insights seen again after they were resolved (a regression), and
    insights whose severity rose (say, once the backend trace behind a double submit is
    known to have errored). The moments are stamped on the insight (Insight.save)."""
    since = max(rule.checked_at - NEW_INSIGHT_OVERLAP, rule.created_at)

    def within(field: str) -> Q:
        return Q(**{f"{field}__gt": since, f"{field}__lte": now})

    made = []
    for insight in (
        _matching_insights(rule)
        .filter(finding_count__gt=0)
        .filter(within("created_at") | within("regressed_at") | within("escalated_at"))
        .order_by("created_at", "id")
    ):
        escalated = insight.escalated_at is not None and since < insight.escalated_at <= now
        # One that already got worse is reported once, as an escalation (at its severity now):
        # a rule with a higher minimum did not see it at first, and says what changed.
        if since < insight.created_at <= now and not escalated:
            made.append(
                _insight_delivery(
                    organization, rule, insight, DeliveryReason.NEW_INSIGHT, f"new:{insight.pk}"
                )
            )
        if insight.regressed_at and since < insight.regressed_at <= now:
            stamp = int(insight.regressed_at.timestamp() * 1000)
            made.append(
                _insight_delivery(
                    organization,
                    rule,
                    insight,
                    DeliveryReason.REGRESSION,
                    f"regressed:{insight.pk}:{stamp}",
                )
            )
        if escalated:
            made.append(
                _insight_delivery(
                    organization,
                    rule,
                    insight,
                    DeliveryReason.ESCALATION,
                    f"escalated:{insight.pk}:{insight.severity}",
                )
            )
    return made


def _threshold(organization: Organization, rule: AlertRule, now: datetime) -> list:
    since_ms = int((now - THRESHOLD_WINDOW).timestamp() * 1000)
    insight_ids = _matching_insights(rule).values("pk")
    rows = (
        Finding.objects.filter(
            organization=organization, insight_id__in=insight_ids, ts_ms__gte=since_ms
        )
        .values("insight_id")
        .annotate(sessions=Count("session_id", distinct=True))
        .filter(sessions__gte=rule.threshold_sessions)
    )
    # Once per crossing: a group reported in the last hour is not reported again while it
    # stays above the threshold; an hour later, still above, it is (once).
    reported = set(
        AlertDelivery.objects.filter(
            organization=organization,
            rule=rule,
            reason=DeliveryReason.THRESHOLD,
            created_at__gt=now - THRESHOLD_WINDOW,
        ).values_list("insight_id", flat=True)
    )
    made = []
    for row in rows:
        if row["insight_id"] in reported:
            continue
        insight = Insight.objects.get(organization=organization, pk=row["insight_id"])
        payload = delivery_payload(
            organization=organization,
            rule=rule,
            reason=DeliveryReason.THRESHOLD,
            insight=insight_payload(
                organization=organization, insight=insight, sessions_last_hour=row["sessions"]
            ),
            threshold=rule.threshold_sessions,
        )
        made.append(
            _delivery_for(
                organization=organization,
                rule=rule,
                reason=DeliveryReason.THRESHOLD,
                dedupe_key=f"threshold:{insight.pk}:{now:%Y%m%dT%H%M}",
                payload=payload,
                insight=insight,
            )
        )
    return made


def rule_evaluate(
    *, organization: Organization, rule_id: int, now: datetime | None = None
) -> list[AlertDelivery]:
    """Checks one rule; returns the deliveries it made. The rule's row is locked while it is
    checked, so two overlapping runs do not both report the same crossing."""
    now = now or timezone.now()
    with transaction.atomic():
        rule = (
            AlertRule.objects.select_for_update(skip_locked=True)
            .select_related("organization")
            .filter(organization=organization, pk=rule_id, enabled=True)
            .first()
        )
        if rule is None:
            return []
        if rule.kind == RuleKind.NEW_INSIGHT:
            made = _new_insights(organization, rule, now)
        else:
            made = _threshold(organization, rule, now)
        rule.checked_at = max(rule.checked_at, now)
        rule.save(update_fields=["checked_at"])
    return [delivery for delivery in made if delivery is not None]


def alerts_evaluate(
    *, organization: Organization, now: datetime | None = None
) -> list[AlertDelivery]:
    made = []
    for rule_id in AlertRule.objects.filter(organization=organization, enabled=True).values_list(
        "pk", flat=True
    ):
        made += rule_evaluate(organization=organization, rule_id=rule_id, now=now)
    return made
