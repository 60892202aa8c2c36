"""Settings → Integrations: helpdesk webhook endpoints, their secrets (shown once), and the
organization's default linking window."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.errors import DomainError
from apps.core.public_url import public_base_url
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from .. import selectors, services
from ..forms import IntegrationForm, LinkWindowForm, SigningSecretForm


class IntegrationsView(OrganizationView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization)

    def post(self, request, *, organization, membership, **kwargs):
        action = request.POST.get("action", "")
        integration_id = request.POST.get("integration_id")
        try:
            if action == "create":
                form = IntegrationForm(request.POST)
                if not form.is_valid():
                    return self._render(request, organization, form=form, status=400)
                integration, secret = services.integration_create(
                    organization=organization, created_by=request.user, **form.cleaned_data
                )
                return self._render(request, organization, new=(integration, secret))
            if action == "rotate":
                integration, secret = services.integration_rotate_secret(
                    organization=organization, integration_id=integration_id
                )
                return self._render(request, organization, new=(integration, secret))
            if action == "set_secret":
                form = SigningSecretForm(request.POST)
                if not form.is_valid():
                    raise DomainError(" ".join(form.errors.get("secret", ["Invalid secret."])))
                services.integration_set_secret(
                    organization=organization,
                    integration_id=integration_id,
                    secret=form.cleaned_data["secret"],
                )
                messages.success(request, "The helpdesk's signing secret is saved.")
            elif action == "window":
                form = LinkWindowForm(request.POST)
                hours = form.cleaned_data["link_window_hours"] if form.is_valid() else 0
                if integration_id:
                    services.integration_update(
                        organization=organization,
                        integration_id=integration_id,
                        link_window_hours=hours,
                    )
                else:
                    services.ticket_settings_update(
                        organization=organization, link_window_hours=hours
                    )
                messages.success(request, f"Sessions from the last {hours} h will be linked.")
            elif action in ("enable", "disable"):
                services.integration_update(
                    organization=organization,
                    integration_id=integration_id,
                    enabled=action == "enable",
                )
                messages.success(request, f"Integration {action}d.")
            elif action == "delete":
                services.integration_delete(
                    organization=organization, integration_id=integration_id
                )
                messages.success(request, "Integration deleted; its webhook URL stops working.")
            else:
                messages.error(request, "Unknown action.")
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, organization, status=exc.status)
        return redirect("integrations", org_slug=organization.slug)

    def _render(self, request, organization, *, form=None, new=None, status=200):
        base_url = public_base_url(request)
        integrations = list(selectors.integrations_list(organization=organization))
        for integration in integrations:
            integration.webhook_url = base_url + reverse(
                "helpdesk_webhook", kwargs={"public_id": integration.public_id}
            )
        return render(
            request,
            "tickets/integrations.html",
            {
                "organization": organization,
                "integrations": integrations,
                "form": form or IntegrationForm(),
                "new_integration": new[0] if new else None,
                "new_secret": new[1] if new else None,
                "default_window": selectors.default_link_window_hours(organization=organization),
                "api_base": base_url + "/api/v1",
            },
            status=status,
        )
