"""The one organization-aware base for dashboard views.

``/o/<org_slug>/...`` URLs resolve the organization through the signed-in user's membership
(one query, scoped in itself: outsiders get 404), check the role for the HTTP method, and hand
``organization`` and ``membership`` to the handler as keyword arguments.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View

from apps.core.errors import DomainError

from .models import Membership, Role, role_at_least
from .selectors import membership_by_slug

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class OrganizationView(LoginRequiredMixin, View):
    """Subclass and implement ``get(self, request, *, organization, membership, **kwargs)``.

    ``read_role`` guards safe methods, ``write_role`` the others (member by default; settings
    pages raise it to admin).
    """

    read_role: str = Role.VIEWER
    write_role: str = Role.MEMBER

    organization = None
    membership: Membership | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        slug = kwargs.pop("org_slug")
        membership = membership_by_slug(slug=slug, user=request.user)
        if membership is None:
            raise Http404("No such organization.")
        needed = self.read_role if request.method in SAFE_METHODS else self.write_role
        if not role_at_least(membership.role, needed):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(f"This needs the {needed} role; you are {membership.role}.")
        self.membership = membership
        self.organization = membership.organization
        request.session["current_org"] = self.organization.slug
        request.organization = self.organization
        request.membership = membership
        kwargs["organization"] = self.organization
        kwargs["membership"] = membership
        return super().dispatch(request, *args, **kwargs)

    def can(self, role: str) -> bool:
        return self.membership is not None and role_at_least(self.membership.role, role)


def form_error_message(exc: DomainError) -> str:
    return exc.message
