"""The one organization-aware base for REST API views.

The organization comes from the API key (``request.auth``) or, for a signed-in user, from the
``X-Qorrelate-Organization`` header (a slug), else the organization last used in the dashboard,
else the user's first one. The role is checked per HTTP method, then ``self.organization`` is
set and ``organization`` is passed to the handler. Viewsets implement
``get_org_queryset(organization)`` so a queryset cannot be built without the organization.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions, generics, viewsets
from rest_framework.views import APIView

from ..models import KeyScope, Membership, Organization, Role, SecretKey, role_at_least
from . import query

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
KEY_SCOPE_ROLE = {KeyScope.READ: Role.VIEWER, KeyScope.WRITE: Role.MEMBER}


def resolve_api_organization(request) -> tuple[Organization, str]:
    """(organization, effective role) for an authenticated API request, or raise NotFound."""
    if isinstance(request.auth, SecretKey):
        return request.auth.organization, KEY_SCOPE_ROLE[request.auth.scope]
    user = request.user
    memberships = Membership.objects.select_related("organization").filter(user=user)
    slug = request.headers.get("X-Qorrelate-Organization") or request.query_params.get("org")
    if slug:
        membership = memberships.filter(organization__slug=slug).first()
    else:
        current = getattr(request, "session", {}).get("current_org")
        membership = (current and memberships.filter(organization__slug=current).first()) or (
            memberships.order_by("created_at", "id").first()
        )
    if membership is None:
        raise exceptions.NotFound("No such organization.")
    return membership.organization, membership.role


class OrganizationMixin:
    read_role: str = Role.VIEWER
    write_role: str = Role.MEMBER
    organization: Organization | None = None
    role: str | None = None

    def initial(self, request, *args, **kwargs):
        self._organization_pending = True
        super().initial(request, *args, **kwargs)
        try:
            self.organization, self.role = resolve_api_organization(request)
        finally:
            request.organization = self.organization
            self._organization_pending = False
            self.check_throttles(request)
        needed = self.read_role if request.method in SAFE_METHODS else self.write_role
        if not role_at_least(self.role, needed):
            raise exceptions.PermissionDenied(
                f"This needs the {needed} role; this request has {self.role}."
            )
        query.check_query_params(self, request)
        if request.method not in SAFE_METHODS:
            query.check_body(request)
        kwargs["organization"] = self.organization

    def check_throttles(self, request):
        # DRF throttles inside initial(), before the organization is known; the limits are
        # per organization, so they wait until it is (above).
        if not getattr(self, "_organization_pending", False):
            super().check_throttles(request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = self.organization
        return context

    def acting_membership(self) -> Membership | None:
        if isinstance(self.request.auth, SecretKey):
            return None
        return Membership.objects.filter(
            organization=self.organization, user=self.request.user
        ).first()


class OrganizationAPIView(OrganizationMixin, APIView):
    pass


class OrganizationGenericAPIView(OrganizationMixin, generics.GenericAPIView):
    def get_queryset(self):
        return self.get_org_queryset(self.organization)

    def get_org_queryset(self, organization):
        raise ImproperlyConfigured(f"{type(self).__name__} must scope its queryset")


class OrganizationViewSet(OrganizationMixin, viewsets.GenericViewSet):
    def get_queryset(self):
        return self.get_org_queryset(self.organization)

    def get_org_queryset(self, organization):
        raise ImproperlyConfigured(f"{type(self).__name__} must scope its queryset")


def object_by_pk(queryset, pk, *, missing: str):
    """The row of ``queryset`` (already scoped to the organization) numbered ``pk``; a 404
    saying ``missing`` for a pk that is not a number or not there (another organization's too).
    Viewsets whose list filters come from the query use it in get_object, so those filters do
    not apply to the detail."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound(missing) from None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise exceptions.NotFound(missing)
    return found
