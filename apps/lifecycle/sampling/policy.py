"""The organization's sampling policy and its ordered rules: reading them (defaults created on
first use) and editing them. Keyword-only, organization first; not yours = missing."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from apps.core.errors import DomainError, NotFound
from apps.insights.kinds import FINDING_KINDS
from apps.orgs.models import Organization

from ..models import RuleKind, SamplingPolicy, SamplingRule
from .rules import Rule

DEFAULT_RULES = [
    (RuleKind.FRONTEND_ERROR, "Frontend errors"),
    (RuleKind.BACKEND_ERROR, "Correlated backend errors"),
    (RuleKind.TICKET, "Linked to a support ticket"),
    (RuleKind.FINDING, "Double submits with a backend error, invisible errors"),
]
# What the default finding rule keeps (an organization can change the list).
DEFAULT_FINDING_KINDS = ["double_submit+backend_error", "invisible_error"]
SINGLETON_KINDS = {kind for kind, _name in DEFAULT_RULES}
MAX_RULES = 50
MAX_USER_IDS = 1000
POLICY_FIELDS = ("normal_rate", "idle_minutes", "min_duration_ms", "drop_grace_minutes")
SEGMENT_FIELDS = ("user_ids", "user_pattern", "url_pattern", "event_name", "identified_only")


def policy_ensure(*, organization: Organization) -> SamplingPolicy:
    """The organization's policy; the first call creates it with the three default rules."""
    policy = SamplingPolicy.objects.filter(organization=organization).first()
    if policy is not None:
        return policy
    try:
        with transaction.atomic():
            policy = SamplingPolicy.objects.create(organization=organization)
            SamplingRule.objects.bulk_create(
                SamplingRule(
                    organization=organization,
                    position=i,
                    kind=kind,
                    name=name,
                    finding_kinds=DEFAULT_FINDING_KINDS if kind == RuleKind.FINDING else [],
                )
                for i, (kind, name) in enumerate(DEFAULT_RULES)
            )
    except IntegrityError:  # created meanwhile by another request or worker
        policy = SamplingPolicy.objects.get(organization=organization)
    return policy


def rules_list(*, organization: Organization) -> list[SamplingRule]:
    policy_ensure(organization=organization)
    return list(SamplingRule.objects.filter(organization=organization).order_by("position", "id"))


def rules_for_evaluation(*, organization: Organization) -> list[Rule]:
    return [
        Rule(
            id=r.pk,
            kind=r.kind,
            name=r.name,
            rate=r.rate,
            user_ids=tuple(r.user_ids or ()),
            user_pattern=r.user_pattern,
            url_pattern=r.url_pattern,
            event_name=r.event_name,
            identified_only=r.identified_only,
            finding_kinds=tuple(r.finding_kinds or ()),
        )
        for r in rules_list(organization=organization)
        if r.enabled
    ]


def _finding_kinds(value) -> list[str]:
    known = set(FINDING_KINDS)
    kinds = []
    for item in value if isinstance(value, list | tuple) else []:
        kind, _, qualifier = str(item).partition("+")
        if kind not in known or qualifier not in ("", "backend_error"):
            raise DomainError(
                f"finding_kinds: {str(item)[:40]!r} is not a finding kind "
                f"({', '.join(FINDING_KINDS)}, each optionally +backend_error).",
                code="invalid_finding_kind",
            )
        if item not in kinds:
            kinds.append(str(item))
    return kinds


def rule_get(*, organization: Organization, rule_id: int) -> SamplingRule:
    rule = SamplingRule.objects.filter(organization=organization, pk=rule_id).first()
    if rule is None:
        raise NotFound("No such sampling rule.")
    return rule


def _rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise DomainError("rate must be a number from 0 to 100.", code="invalid_rate") from None
    if not 0 <= rate <= 100:
        raise DomainError("rate must be a number from 0 to 100.", code="invalid_rate")
    return rate


def _clean_segment(values: dict) -> dict:
    user_ids = values.get("user_ids") or []
    if isinstance(user_ids, str):
        user_ids = [u.strip() for u in user_ids.replace(",", "\n").splitlines()]
    if not isinstance(user_ids, list) or not all(isinstance(u, str) for u in user_ids):
        raise DomainError("user_ids must be a list of strings.", code="invalid_user_ids")
    user_ids = [u.strip()[:255] for u in user_ids if u.strip()]
    if len(user_ids) > MAX_USER_IDS:
        raise DomainError(f"At most {MAX_USER_IDS} user ids.", code="invalid_user_ids")
    cleaned = {
        "user_ids": user_ids,
        "user_pattern": str(values.get("user_pattern") or "").strip()[:200],
        "url_pattern": str(values.get("url_pattern") or "").strip()[:500],
        "event_name": str(values.get("event_name") or "").strip()[:200],
        "identified_only": bool(values.get("identified_only")),
    }
    if not (
        cleaned["user_ids"]
        or cleaned["user_pattern"]
        or cleaned["url_pattern"]
        or cleaned["event_name"]
        or cleaned["identified_only"]
    ):
        raise DomainError(
            "A segment rule needs at least one condition: user ids, a user or URL pattern, "
            "a custom event name, or identified users only.",
            code="empty_segment",
        )
    return cleaned


@transaction.atomic
def rule_create(
    *,
    organization: Organization,
    kind: str = RuleKind.SEGMENT,
    name: str = "",
    rate: float = 100.0,
    enabled: bool = True,
    **segment,
) -> SamplingRule:
    policy_ensure(organization=organization)
    if kind not in RuleKind.values:
        raise DomainError(f"kind must be one of {', '.join(RuleKind.values)}.", code="invalid_kind")
    existing = SamplingRule.objects.select_for_update().filter(organization=organization)
    if existing.count() >= MAX_RULES:
        raise DomainError(f"At most {MAX_RULES} sampling rules.", code="too_many_rules")
    if kind in SINGLETON_KINDS and existing.filter(kind=kind).exists():
        raise DomainError("This organization already has that rule.", code="duplicate_rule")
    finding_kinds = segment.pop("finding_kinds", None)
    fields = _clean_segment(segment) if kind == RuleKind.SEGMENT else {}
    if kind == RuleKind.FINDING:
        fields["finding_kinds"] = _finding_kinds(
            DEFAULT_FINDING_KINDS if finding_kinds is None else finding_kinds
        )
    position = (existing.aggregate(top=Max("position"))["top"] or 0) + 1
    return SamplingRule.objects.create(
        organization=organization,
        kind=kind,
        name=str(name or "").strip()[:120],
        rate=_rate(rate),
        enabled=bool(enabled),
        position=position,
        **fields,
    )


@transaction.atomic
def rule_update(*, organization: Organization, rule_id: int, **changes) -> SamplingRule:
    rule = rule_get(organization=organization, rule_id=rule_id)
    if "kind" in changes and changes["kind"] != rule.kind:
        raise DomainError("A rule's kind cannot change; delete it and add another.", code="kind")
    if "name" in changes:
        rule.name = str(changes["name"] or "").strip()[:120]
    if "rate" in changes:
        rule.rate = _rate(changes["rate"])
    if "enabled" in changes:
        rule.enabled = bool(changes["enabled"])
    if rule.kind == RuleKind.SEGMENT and any(f in changes for f in SEGMENT_FIELDS):
        merged = {f: changes.get(f, getattr(rule, f)) for f in SEGMENT_FIELDS}
        for key, value in _clean_segment(merged).items():
            setattr(rule, key, value)
    if rule.kind == RuleKind.FINDING and "finding_kinds" in changes:
        rule.finding_kinds = _finding_kinds(changes["finding_kinds"])
    if "position" in changes:
        _move_to(organization, rule, changes["position"])
    rule.save()
    return rule


def _move_to(organization: Organization, rule: SamplingRule, position) -> None:
    try:
        target = int(position)
    except (TypeError, ValueError):
        raise DomainError("position must be an integer.", code="invalid_position") from None
    ordered = [
        r
        for r in SamplingRule.objects.select_for_update()
        .filter(organization=organization)
        .order_by("position", "id")
        if r.pk != rule.pk
    ]
    target = max(0, min(target, len(ordered)))
    ordered.insert(target, rule)
    for index, item in enumerate(ordered):
        if item.position != index:
            item.position = index
            if item.pk != rule.pk:
                item.save(update_fields=["position"])


@transaction.atomic
def rule_move(*, organization: Organization, rule_id: int, offset: int) -> SamplingRule:
    """Move a rule up (offset -1) or down (+1) in the evaluation order."""
    rule = rule_get(organization=organization, rule_id=rule_id)
    ordered = list(
        SamplingRule.objects.filter(organization=organization).order_by("position", "id")
    )
    index = next(i for i, r in enumerate(ordered) if r.pk == rule.pk)
    _move_to(organization, rule, index + offset)
    rule.save(update_fields=["position"])
    return rule


def rule_delete(*, organization: Organization, rule_id: int) -> None:
    rule_get(organization=organization, rule_id=rule_id).delete()


def policy_update(*, organization: Organization, **changes) -> SamplingPolicy:
    policy = policy_ensure(organization=organization)
    limits = {
        "normal_rate": (0, 100),
        "idle_minutes": (1, 1440),
        "min_duration_ms": (0, 24 * 3600 * 1000),
        "drop_grace_minutes": (0, 7 * 24 * 60),
    }
    for key in POLICY_FIELDS:
        if key not in changes or changes[key] is None:
            continue
        low, high = limits[key]
        try:
            value = float(changes[key]) if key == "normal_rate" else int(changes[key])
        except (TypeError, ValueError):
            raise DomainError(f"{key} must be a number.", code="invalid") from None
        if not low <= value <= high:
            raise DomainError(f"{key} must be between {low} and {high}.", code="invalid")
        setattr(policy, key, value)
    policy.save()
    return policy
