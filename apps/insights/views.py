"""The Insights pages: the problems the detectors found, grouped, and one problem with its
trend, who it hits, example sessions that open at the moment, its status and a ticket."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.errors import NotFound
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView
from apps.traces.selectors import traces_by_ids

from . import selectors, services
from .kinds import CHOICES, LABELS
from .models import InsightStatus
from .presentation import evidence_of

LIST_ROWS = 100


def _session_url(organization, finding) -> str:
    url = reverse(
        "session_detail",
        kwargs={"org_slug": organization.slug, "session_id": finding.session.session_id},
    )
    return f"{url}?t={finding.offset_ms}"


class InsightsView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        kind = request.GET.get("kind") or ""
        kind = kind if kind in LABELS else ""
        status = request.GET.get("status") or ""
        status = status if status in InsightStatus.values else ""
        insights = list(
            selectors.insights_search(
                organization=organization, kind=kind or None, status=status or None
            )[:LIST_ROWS]
        )
        trends = selectors.insight_trends(organization=organization, insights=insights)
        for insight in insights:
            insight.trend = trends[insight.pk]
        return render(
            request,
            "insights/insights.html",
            {
                "organization": organization,
                "insights": insights,
                "kinds": CHOICES,
                "statuses": InsightStatus.choices,
                "kind_filter": kind,
                "status_filter": status,
                "any_findings": selectors.insights_search(organization=organization).exists(),
                "unread": selectors.sessions_unread(organization=organization),
            },
        )


class InsightDetailView(OrganizationView):
    write_role = Role.MEMBER

    def _insight(self, organization, insight_id):
        try:
            return selectors.insight_get(organization=organization, insight_id=insight_id)
        except NotFound:
            raise Http404("No such insight.") from None

    def get(self, request, *, organization, membership, insight_id, **kwargs):
        insight = self._insight(organization, insight_id)
        examples = selectors.insight_examples(organization=organization, insight=insight)
        for finding in examples:
            finding.url_at_moment = _session_url(organization, finding)
        trend = selectors.insight_trend(organization=organization, insight=insight)
        # The latest one in detail (what its sentence says); a trace links only when stored.
        latest = evidence_of(examples[0]) if examples else None
        if latest is not None:
            stored = traces_by_ids(
                organization=organization,
                trace_ids=[r["trace_id"] for r in latest.requests if r["trace_id"]],
            )
            for sent in latest.requests:
                sent["trace_stored"] = sent["trace_id"] in stored
        return render(
            request,
            "insights/insight_detail.html",
            {
                "organization": organization,
                "insight": insight,
                "kind_label": LABELS[insight.kind],
                "examples": examples,
                "latest": latest,
                "trend": trend,
                "breakdown": selectors.insight_breakdown(
                    organization=organization, insight=insight
                ),
                "statuses": InsightStatus.choices,
                "can_edit": self.can(Role.MEMBER),
            },
        )

    def post(self, request, *, organization, membership, insight_id, **kwargs):
        insight = self._insight(organization, insight_id)
        action = request.POST.get("action")
        if action == "ticket":
            ticket = services.insight_create_ticket(
                organization=organization, insight=insight, actor=request.user
            )
            messages.success(request, "Ticket created with the example sessions linked.")
            return redirect("ticket_detail", org_slug=organization.slug, ticket_id=ticket.pk)
        status = request.POST.get("status")
        if status not in InsightStatus.values:
            messages.error(request, "Choose new, acknowledged or resolved.")
            return redirect("insight_detail", org_slug=organization.slug, insight_id=insight.pk)
        services.insight_set_status(organization=organization, insight=insight, status=status)
        messages.success(request, f"Marked {InsightStatus(status).label.lower()}.")
        return redirect("insight_detail", org_slug=organization.slug, insight_id=insight.pk)
