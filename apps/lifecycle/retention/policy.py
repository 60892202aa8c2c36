"""The organization's retention policy, and the policy in force: clamped into the plan's
bounds, so a downgrade shortens retention without anyone editing the settings."""

from dataclasses import dataclass

from django.db import IntegrityError

from apps.billing.selectors import plan_retention_bounds
from apps.core.errors import DomainError
from apps.orgs.models import Organization

from .. import defaults
from ..models import RetentionPolicy


@dataclass(frozen=True)
class Effective:
    normal_days: int
    error_days: int
    ticket_grace_days: int
    telemetry_days: int
    bounds: dict

    def as_dict(self) -> dict:
        return {
            "normal_days": self.normal_days,
            "error_days": self.error_days,
            "ticket_grace_days": self.ticket_grace_days,
            "telemetry_days": self.telemetry_days,
        }


def policy_ensure(*, organization: Organization) -> RetentionPolicy:
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    if policy is None:
        try:
            policy = RetentionPolicy.objects.create(organization=organization)
        except IntegrityError:
            policy = RetentionPolicy.objects.get(organization=organization)
    return policy


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def effective_policy(*, organization: Organization) -> Effective:
    policy = policy_ensure(organization=organization)
    bounds = plan_retention_bounds(organization=organization)
    b = bounds
    return Effective(
        normal_days=_clamp(policy.normal_days, b["normal_days_min"], b["normal_days_max"]),
        error_days=_clamp(policy.error_days, b["error_days_min"], b["error_days_max"]),
        ticket_grace_days=_clamp(policy.ticket_grace_days, 0, bounds["ticket_grace_days"]),
        telemetry_days=_clamp(
            policy.telemetry_days, defaults.TELEMETRY_DAYS_MIN, defaults.TELEMETRY_DAYS_MAX
        ),
        bounds=bounds,
    )


@dataclass(frozen=True)
class RetentionSettings:
    """What the Retention page and ``/api/v1/retention/policy`` both show: the days as saved,
    the days in force (clamped into the plan's bounds) and the fields where the two differ."""

    saved: dict
    effective: Effective

    @property
    def bounds(self) -> dict:
        return self.effective.bounds

    @property
    def clamped(self) -> list[dict]:
        in_force = self.effective.as_dict()
        return [
            {"field": key, "saved": value, "in_force": in_force[key]}
            for key, value in self.saved.items()
            if value != in_force[key]
        ]

    @property
    def saved_are_defaults(self) -> bool:
        """Nobody chose the capped days: they are Qorrelate's defaults, above a smaller plan."""
        return all(getattr(defaults, key.upper()) == value for key, value in self.saved.items())


def retention_settings(*, organization: Organization) -> RetentionSettings:
    policy = policy_ensure(organization=organization)
    saved = {key: getattr(policy, key) for key in Effective.__dataclass_fields__ if key != "bounds"}
    return RetentionSettings(saved=saved, effective=effective_policy(organization=organization))


def policy_update(*, organization: Organization, **changes) -> RetentionPolicy:
    """Save new days; values outside the plan's bounds are refused (4xx), not clamped."""
    policy = policy_ensure(organization=organization)
    bounds = plan_retention_bounds(organization=organization)
    limits = {
        "normal_days": (bounds["normal_days_min"], bounds["normal_days_max"]),
        "error_days": (bounds["error_days_min"], bounds["error_days_max"]),
        "ticket_grace_days": (0, bounds["ticket_grace_days"]),
        "telemetry_days": (defaults.TELEMETRY_DAYS_MIN, defaults.TELEMETRY_DAYS_MAX),
    }
    for key, (low, high) in limits.items():
        if changes.get(key) is None:
            continue
        try:
            value = int(changes[key])
        except (TypeError, ValueError):
            raise DomainError(f"{key} must be a whole number of days.", code="invalid") from None
        if not low <= value <= high:
            raise DomainError(
                f"{key} must be between {low} and {high} days on the {bounds['plan']} plan.",
                code="out_of_plan_bounds",
            )
        setattr(policy, key, value)
    policy.save()
    return policy
