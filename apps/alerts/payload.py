"""What a delivery says: the insight (kind, sentence, page, element, sessions affected, first
and last seen) and a link to its page. Built once when the delivery is made, so every retry
sends the same body."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.insights.kinds import LABELS
from apps.insights.models import Insight, Severity
from apps.orgs.models import Organization

from .models import AlertRule, DeliveryReason


def base_url() -> str:
    # No request in a task: links start with QORRELATE_PUBLIC_URL (see docs/deployment.md);
    # unset, they are paths from the site's root.
    return settings.PUBLIC_URL


def insight_link(*, organization: Organization, insight_id: int) -> str:
    path = reverse(
        "insight_detail", kwargs={"org_slug": organization.slug, "insight_id": insight_id}
    )
    return f"{base_url()}{path}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def insight_payload(
    *, organization: Organization, insight: Insight, sessions_last_hour: int | None = None
) -> dict:
    return {
        "id": insight.pk,
        "kind": insight.kind,
        "kind_label": LABELS.get(insight.kind, insight.kind),
        "title": insight.title,
        "severity": Severity(insight.severity).label.lower(),
        "status": insight.status,
        "page": insight.page,
        "element": {"selector": insight.element_selector, "text": insight.element_text},
        "sessions_affected": insight.session_count,
        "sessions_last_hour": sessions_last_hour,
        "first_seen_at": _iso(insight.first_seen_at),
        "last_seen_at": _iso(insight.last_seen_at),
        "url": insight_link(organization=organization, insight_id=insight.pk),
    }


def delivery_payload(
    *,
    organization: Organization,
    rule: AlertRule,
    reason: str,
    insight: dict,
    threshold: int | None = None,
) -> dict:
    return {
        "type": f"alert.{reason}",
        "test": reason == DeliveryReason.TEST,
        "organization": {"slug": organization.slug, "name": organization.name},
        "rule": {"id": rule.pk, "name": rule.name, "kind": rule.kind, "threshold": threshold},
        "insight": insight,
        "created_at": timezone.now().isoformat(),
    }


def sample_insight(*, organization: Organization) -> dict:
    """A made-up insight for "Send test": the shape of a real one, marked as a test."""
    now = timezone.now().isoformat()
    return {
        "id": 0,
        "kind": "double_submit",
        "kind_label": LABELS.get("double_submit", "Double submit"),
        "title": "Clicked 'Place order' twice 181 ms apart; both POST /api/checkout reached the "
        "backend; the second returned 500 (this is a test alert).",
        "severity": "high",
        "status": "new",
        "page": "/checkout",
        "element": {"selector": "button#place-order", "text": "Place order"},
        "sessions_affected": 1,
        "sessions_last_hour": 1,
        "first_seen_at": now,
        "last_seen_at": now,
        "url": f"{base_url()}{reverse('insights', kwargs={'org_slug': organization.slug})}",
    }


def email_subject(payload: dict) -> str:
    insight = payload["insight"]
    prefix = "[Qorrelate test] " if payload.get("test") else "[Qorrelate] "
    if payload["rule"]["kind"] == "threshold":
        count = insight["sessions_last_hour"]
        what = f"{count} session{'' if count == 1 else 's'} in an hour: {insight['kind_label']}"
    elif payload["type"] == f"alert.{DeliveryReason.REGRESSION}":
        what = f"Back after it was resolved: {insight['kind_label']}"
    elif payload["type"] == f"alert.{DeliveryReason.ESCALATION}":
        what = f"Now {insight['severity']} severity: {insight['kind_label']}"
    else:
        what = f"New insight: {insight['kind_label']}"
    subject = f"{prefix}{what} on {insight['page']}"
    return " ".join(subject.split())[:200]  # a header: no line breaks


def email_body(payload: dict) -> str:
    insight = payload["insight"]
    element = insight["element"]
    lines = [
        insight["title"],
        "",
        f"Kind: {insight['kind_label']} ({insight['severity']} severity)",
        f"Page: {insight['page']}",
        f"Element: {element['selector'] or '—'}"
        + (f" “{element['text']}”" if element["text"] else ""),
        f"Sessions affected: {insight['sessions_affected']}",
    ]
    if insight.get("sessions_last_hour") is not None:
        lines.append(f"Sessions in the last hour: {insight['sessions_last_hour']}")
    lines += [
        f"First seen: {insight['first_seen_at']}",
        f"Last seen: {insight['last_seen_at']}",
        "",
        f"Open it: {insight['url']}",
        "",
        f"Rule “{payload['rule']['name']}” of {payload['organization']['name']}.",
    ]
    return "\n".join(lines)
