"""The Privacy page: findings over time, the findings list, and the audit settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from apps.core.errors import DomainError
from apps.core.sensitive import KINDS, LABELS
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from . import selectors, services
from .forms import NetworkHeadersForm, PrivacySettingsForm
from .network_headers import ALWAYS_REDACTED_HEADERS, network_header_denylist_set

LIST_ROWS = 20
CHART_DAYS = 30


def _session_link(organization, session_id: str, offset_ms: int) -> str | None:
    try:
        url = reverse(
            "session_detail", kwargs={"org_slug": organization.slug, "session_id": session_id}
        )
    except NoReverseMatch:
        return None
    return f"{url}?t={offset_ms}"


def _chart(daily: list[dict]) -> dict:
    peak = max((sum(d["counts"].values()) for d in daily), default=0)
    days = []
    for entry in daily:
        series = [
            (LABELS[kind], entry["counts"][kind], round(entry["counts"][kind] * 100 / peak, 1))
            for kind in KINDS
            if peak
        ]
        days.append({"day": entry["day"], "series": series, "total": sum(entry["counts"].values())})
    return {"days": days, "max": peak}


class PrivacyView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization, None)

    def post(self, request, *, organization, membership, **kwargs):
        form = PrivacySettingsForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, form, 400)
        try:
            services.settings_update(organization=organization, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, organization, form, exc.status)
        messages.success(request, "Audit settings saved.")
        return redirect("privacy", org_slug=organization.slug)

    def _render(self, request, organization, form, status=200):
        settings = selectors.settings_for(organization=organization)
        if form is None:
            form = PrivacySettingsForm(
                initial={
                    "audit_new_sessions": settings.audit_new_sessions,
                    "nightly_sample_percent": settings.nightly_sample_percent,
                    "nightly_max_sessions": settings.nightly_max_sessions,
                    "auto_redact": settings.auto_redact,
                }
            )
        kind = request.GET.get("kind") or ""
        kind = kind if kind in KINDS else ""
        findings = list(
            selectors.findings_search(organization=organization, kind=kind or None)[:LIST_ROWS]
        )
        for finding in findings:
            finding.link = _session_link(organization, finding.session_id_text, finding.offset_ms)
        summary = selectors.privacy_summary(organization=organization, days=CHART_DAYS)
        return render(
            request,
            "privacy/privacy.html",
            {
                "organization": organization,
                "form": form,
                "settings": settings,
                "always_headers": ALWAYS_REDACTED_HEADERS,
                "summary": summary,
                "kinds": [(k, LABELS[k], summary["by_kind"][k]) for k in KINDS],
                "chart": _chart(
                    selectors.findings_daily(organization=organization, days=CHART_DAYS)
                ),
                "findings": findings,
                "findings_total": selectors.findings_search(
                    organization=organization, kind=kind or None
                ).count(),
                "kind_filter": kind,
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )


class NetworkHeadersView(OrganizationView):
    """The organization's own network-header deny list: members read it, only owners change
    it (it decides what the intake strips from every recording)."""

    write_role = Role.OWNER

    def get(self, request, *, organization, membership, **kwargs):
        form = NetworkHeadersForm(
            initial={"headers": "\n".join(organization.network_header_denylist)}
        )
        return self._render(request, organization, form)

    def post(self, request, *, organization, membership, **kwargs):
        form = NetworkHeadersForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, form, 400)
        try:
            network_header_denylist_set(organization=organization, headers=form.names())
        except DomainError as exc:
            form.add_error("headers", exc.message)
            return self._render(request, organization, form, exc.status)
        messages.success(request, "Header deny list saved.")
        return redirect("privacy_network_headers", org_slug=organization.slug)

    def _render(self, request, organization, form, status=200):
        return render(
            request,
            "privacy/network_headers.html",
            {
                "organization": organization,
                "form": form,
                "always_headers": ALWAYS_REDACTED_HEADERS,
                "can_edit": self.can(Role.OWNER),
            },
            status=status,
        )
