"""The usage banner on every dashboard page of an organization at 80 % or 100 % of a quota."""

import logging

logger = logging.getLogger(__name__)


def quota_banner(request):
    organization = getattr(request, "organization", None)
    if organization is None or not getattr(request, "membership", None):
        return {}
    from .selectors import quota_banner as banner_for

    try:
        banner = banner_for(organization=organization)
    except Exception:  # a banner must never break the page it sits on
        logger.exception("usage banner failed", extra={"organization_id": organization.pk})
        return {}
    return {"billing_banner": banner} if banner else {}
