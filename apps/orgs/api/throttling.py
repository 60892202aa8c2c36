"""REST API rate limits, counted atomically in Redis (``apps.core.ratelimit``).

A request counts against its principal — the API key, or the signed-in user — and against its
organization, so one organization's burst never spends another's budget, and one runaway key
cannot use all of its own organization's. Requests without a principal (the public schema
views) count against the client address, where ``X-Forwarded-For`` is believed only from
``QORRELATE_TRUSTED_PROXIES``. Over a limit: 429 with ``Retry-After``.
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from apps.core import ratelimit
from apps.core.clientip import request_client_ip

from ..models import SecretKey


def _buckets(request) -> list[tuple[str, str]]:
    """(counter key, rate setting) pairs this request counts against."""
    organization = getattr(request, "organization", None)
    buckets = []
    if isinstance(request.auth, SecretKey):
        buckets.append((f"qorrelate:api-rate:key:{request.auth.pk}", "API_KEY_THROTTLE_RATE"))
        organization_id = request.auth.organization_id
    elif request.user and request.user.is_authenticated and request.user.pk:
        buckets.append((f"qorrelate:api-rate:user:{request.user.pk}", "API_KEY_THROTTLE_RATE"))
        organization_id = organization.pk if organization is not None else None
    else:
        ip = request_client_ip(request)
        return [(f"qorrelate:api-rate:ip:{ip}", "API_ANON_THROTTLE_RATE")]
    if organization_id is not None:
        buckets.append((f"qorrelate:api-rate:org:{organization_id}", "API_THROTTLE_RATE"))
    return buckets


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        counter = ratelimit.counter_for(settings.REDIS_URL, cache)
        self._wait = None
        for key, setting in _buckets(request):
            limit, window = ratelimit.parse_rate(getattr(settings, setting))
            result = ratelimit.hit(counter, key=key, limit=limit, window=window)
            if result.over:
                self._wait = result.retry_after
                return False
        return True

    def wait(self):
        return self._wait
