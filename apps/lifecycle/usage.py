"""Metering of kept sessions (billing's ``record``), after the decision has committed."""

import logging

from apps.billing.metering import record

logger = logging.getLogger(__name__)
METRIC = "replay_sessions_kept"


def record_kept(*, organization_id: int, amount: int) -> None:
    if amount <= 0:
        return
    try:
        record(organization_id=organization_id, metric=METRIC, amount=amount)
    except Exception:  # usage is best effort: a decision is never undone because metering failed
        logger.warning(
            "lifecycle: could not record kept sessions",
            extra={"organization_id": organization_id, "amount": amount},
            exc_info=True,
        )
