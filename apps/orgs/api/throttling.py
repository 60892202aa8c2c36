from rest_framework.throttling import SimpleRateThrottle


class OrganizationRateThrottle(SimpleRateThrottle):
    """One request budget per organization (per API key's organization or the user's)."""

    scope = "organization"

    def get_cache_key(self, request, view):
        organization = getattr(request, "organization", None)
        if organization is not None:
            ident = f"org:{organization.pk}"
        elif request.user and request.user.is_authenticated and request.user.pk:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
