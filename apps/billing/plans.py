"""The price list Qorrelate starts with. The seed migration writes it; staff edit it in the admin
afterwards (plans are data). Quotas and limits of None mean unlimited."""

from decimal import Decimal

PLANS = [
    {
        "code": "free",
        "name": "Free",
        "description": "For trying Qorrelate on one app.",
        "position": 0,
        "is_self_service": True,
        "price_cents": 0,
        "replay_sessions_quota": 1_000,
        "telemetry_quota": 1_000_000,
        "member_limit": 3,
        "hard_limit": True,
        "session_overage_price": Decimal("0"),
        "telemetry_overage_price": Decimal("0"),
        "normal_retention_min_days": 1,
        "normal_retention_max_days": 14,
        "error_retention_min_days": 1,
        "error_retention_max_days": 14,
        "ticket_grace_days": 7,
    },
    {
        "code": "team",
        "name": "Team",
        "description": "For a product team and its support desk.",
        "position": 10,
        "is_self_service": True,
        "price_cents": 9_900,
        "replay_sessions_quota": 10_000,
        "telemetry_quota": 20_000_000,
        "member_limit": 15,
        "hard_limit": False,
        "session_overage_price": Decimal("0.004"),
        "telemetry_overage_price": Decimal("0.0000005"),
        "normal_retention_min_days": 1,
        "normal_retention_max_days": 30,
        "error_retention_min_days": 1,
        "error_retention_max_days": 90,
        "ticket_grace_days": 30,
    },
    {
        "code": "business",
        "name": "Business",
        "description": "Longer retention and room for the whole company.",
        "position": 20,
        "is_self_service": True,
        "price_cents": 49_900,
        "replay_sessions_quota": 100_000,
        "telemetry_quota": 200_000_000,
        "member_limit": 50,
        "hard_limit": False,
        "session_overage_price": Decimal("0.003"),
        "telemetry_overage_price": Decimal("0.0000004"),
        "normal_retention_min_days": 1,
        "normal_retention_max_days": 90,
        "error_retention_min_days": 1,
        "error_retention_max_days": 365,
        "ticket_grace_days": 90,
    },
    {
        "code": "enterprise",
        "name": "Enterprise",
        "description": "Custom volumes, retention and terms, arranged with us.",
        "position": 30,
        "is_self_service": False,
        "price_cents": 0,
        "replay_sessions_quota": None,
        "telemetry_quota": None,
        "member_limit": None,
        "hard_limit": False,
        "session_overage_price": Decimal("0"),
        "telemetry_overage_price": Decimal("0"),
        "normal_retention_min_days": 1,
        "normal_retention_max_days": 365,
        "error_retention_min_days": 1,
        "error_retention_max_days": 730,
        "ticket_grace_days": 365,
    },
]


def seed_plans(plan_model) -> None:
    """Create the plans that are missing; never overwrite what staff edited."""
    for values in PLANS:
        values = dict(values)
        plan_model.objects.get_or_create(code=values.pop("code"), defaults=values)
