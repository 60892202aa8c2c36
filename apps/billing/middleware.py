"""Counts REST API calls per organization (the ``api_calls`` metric).

The organization is known only once the API view resolved it (from the API key or the user's
membership), so this reads it from the DRF view after the response: DRF leaves the view in
``response.renderer_context``. No extra query; requests that never reached an organization
(401, 404 on an unknown one) are not counted.
"""

import logging

from . import metering
from .models import Metric

logger = logging.getLogger(__name__)


class ApiUsageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        context = getattr(response, "renderer_context", None)
        if context:
            organization = getattr(context.get("view"), "organization", None)
            if organization is not None:
                try:
                    metering.record(
                        organization_id=organization.pk, metric=Metric.API_CALLS, amount=1
                    )
                except Exception:  # counting must never fail the call it counts
                    logger.exception("api call metering failed")
        return response
