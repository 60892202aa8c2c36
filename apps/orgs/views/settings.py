"""Organization settings pages: general, members and invitations, keys."""

from django.contrib import messages
from django.shortcuts import redirect, render

from apps.core.errors import DomainError
from apps.core.public_url import public_base_url

from .. import grants, selectors, services
from ..forms import InviteForm, KeyForm, OrganizationSettingsForm
from ..models import Role
from ..snippets import install_snippets
from ..tenancy import OrganizationView


class GeneralSettingsView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        form = OrganizationSettingsForm(
            initial={
                "name": organization.name,
                "allowed_origins": "\n".join(organization.allowed_origins),
                "privacy_mode": organization.privacy_mode,
            }
        )
        return self._render(request, organization, form)

    def post(self, request, *, organization, membership, **kwargs):
        form = OrganizationSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.organization_update(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    allowed_origins=form.origins(),
                    privacy_mode=form.cleaned_data["privacy_mode"],
                )
            except DomainError as exc:
                form.add_error("allowed_origins" if "origin" in exc.code else None, exc.message)
            else:
                messages.success(request, "Settings saved.")
                return redirect("org_settings", org_slug=organization.slug)
        return self._render(request, organization, form, status=400)

    def _render(self, request, organization, form, status=200):
        return render(
            request,
            "orgs/settings_general.html",
            {
                "organization": organization,
                "form": form,
                **install_snippets(organization, public_base_url(request)),
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )


class MembersView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization, InviteForm())

    def post(self, request, *, organization, membership, **kwargs):
        action = request.POST.get("action", "invite")
        try:
            if action == "invite":
                form = InviteForm(request.POST)
                if not form.is_valid():
                    return self._render(request, organization, form, status=400)
                services.invitation_create(
                    organization=organization,
                    acting=membership,
                    base_url=public_base_url(request),
                    **form.cleaned_data,
                )
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            elif action == "role":
                services.membership_set_role(
                    organization=organization,
                    membership_id=_int(request.POST.get("membership_id")),
                    role=request.POST.get("role", ""),
                    acting=membership,
                )
                messages.success(request, "Role changed.")
            elif action == "remove":
                services.membership_remove(
                    organization=organization,
                    membership_id=_int(request.POST.get("membership_id")),
                    acting=membership,
                )
                messages.success(request, "Member removed.")
            elif action == "revoke_invitation":
                services.invitation_revoke(
                    organization=organization,
                    invitation_id=_int(request.POST.get("invitation_id")),
                )
                messages.success(request, "Invitation revoked.")
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, organization, InviteForm(), status=exc.status)
        return redirect("org_members", org_slug=organization.slug)

    def _render(self, request, organization, form, status=200):
        acting_role = self.membership.role
        grantable = grants.grantable_roles(acting_role)
        members = list(selectors.members_list(organization=organization))
        for member in members:
            member.manageable = grants.can_manage(acting_role=acting_role, current_role=member.role)
        form.fields["role"].choices = [c for c in Role.choices if c[0] in grantable]
        return render(
            request,
            "orgs/settings_members.html",
            {
                "organization": organization,
                "members": members,
                "invitations": selectors.invitations_pending(organization=organization),
                "form": form,
                "roles": [c for c in Role.choices if c[0] in grantable],
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )


class KeysView(OrganizationView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization, KeyForm())

    def post(self, request, *, organization, membership, **kwargs):
        if request.POST.get("action") == "revoke":
            try:
                key = services.key_revoke(
                    organization=organization, key_id=_int(request.POST.get("key_id"))
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                return self._render(request, organization, KeyForm(), status=exc.status)
            messages.success(request, f"Key {key.prefix}… revoked.")
            return redirect("org_keys", org_slug=organization.slug)
        form = KeyForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, form, status=400)
        key, raw = services.key_create(
            organization=organization, created_by=request.user, **form.cleaned_data
        )
        # Shown once, on this response only; never stored in the session or a message.
        return self._render(request, organization, KeyForm(), new_key=key, new_secret=raw)

    def _render(self, request, organization, form, status=200, **extra):
        return render(
            request,
            "orgs/settings_keys.html",
            {
                "organization": organization,
                "keys": selectors.keys_list(organization=organization),
                "form": form,
                **extra,
            },
            status=status,
        )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError("Missing or invalid id.", code="invalid_id") from exc
