"""Usage metering. Billing implements storage and aggregation later; callers record now."""


def record(*, organization_id: int, metric: str, amount: int) -> None:
    """Record ``amount`` of ``metric`` (e.g. "spans_accepted") for an organization."""
