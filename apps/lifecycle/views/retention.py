"""The Retention settings page: the policy within the plan's bounds, a dry run of the next
run, and the deletion log."""

from django.contrib import messages
from django.shortcuts import redirect, render

from apps.core.errors import DomainError
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from .. import selectors, services
from ..forms import RetentionPolicyForm

PREVIEW_ROWS = 20
PAGE_SCAN_LIMIT = 5000
LOG_ROWS = 30


def _label(field: str) -> str:
    return RetentionPolicyForm.base_fields[field].label.removesuffix(" (days)").lower()


class RetentionView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization, None)

    def post(self, request, *, organization, membership, **kwargs):
        form = RetentionPolicyForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, form, 400)
        try:
            services.retention_policy_update(organization=organization, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, organization, form, exc.status)
        messages.success(request, "Retention policy saved.")
        return redirect("retention", org_slug=organization.slug)

    def _render(self, request, organization, form, status=200):
        # One selector for the cards, the form and the API: the form shows the days in force,
        # so saving it as it stands keeps what the cards say (and is within the plan).
        settings = selectors.retention_settings(organization=organization)
        effective = settings.effective
        if form is None:
            form = RetentionPolicyForm(initial=effective.as_dict())
        preview = selectors.retention_preview(
            organization=organization, limit=PREVIEW_ROWS, scan_limit=PAGE_SCAN_LIMIT
        )
        return render(
            request,
            "lifecycle/retention.html",
            {
                "organization": organization,
                "form": form,
                "effective": effective,
                "bounds": effective.bounds,
                "clamped": [{**row, "label": _label(row["field"])} for row in settings.clamped],
                "clamped_defaults": settings.saved_are_defaults,
                "preview": preview,
                "log": selectors.deletion_log(organization=organization)[:LOG_ROWS],
                "activity": selectors.worker_activity(organization=organization),
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )
