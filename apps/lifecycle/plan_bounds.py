"""The retention the organization's plan allows (billing's ``plan_retention_bounds``), with the
documented defaults when billing cannot answer (an install without plans, or billing down)."""

import logging

from apps.orgs.models import Organization

from . import defaults

logger = logging.getLogger(__name__)
KEYS = tuple(defaults.FALLBACK_BOUNDS)


def retention_bounds(*, organization: Organization) -> dict:
    try:
        from apps.billing.selectors import plan_retention_bounds

        bounds = plan_retention_bounds(organization=organization)
    except Exception:  # billing is optional for retention; the defaults are the safe bounds
        logger.warning(
            "lifecycle: plan bounds unavailable, using defaults",
            extra={"organization_id": organization.pk},
            exc_info=True,
        )
        return dict(defaults.FALLBACK_BOUNDS)
    merged = dict(defaults.FALLBACK_BOUNDS)
    merged.update({key: bounds[key] for key in KEYS if bounds.get(key) is not None})
    return merged
