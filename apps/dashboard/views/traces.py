"""Traces: a searchable list, one trace's waterfall page, and the waterfall alone (inline)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.errors import DomainError, NotFound
from apps.orgs.tenancy import OrganizationView
from apps.traces import selectors as traces
from apps.traces.listing import trace_page

from ..forms import TRISTATE, TraceFilterForm
from ..waterfall import waterfall_rows


class TraceListView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        form = TraceFilterForm(request.GET)
        page, error, status = None, "", 200
        if form.is_valid():
            trace_id = form.cleaned_data["trace"].strip()
            if trace_id:
                normalized = traces.normalize_trace_id(trace_id)
                if normalized:
                    return redirect("trace_detail", org_slug=organization.slug, trace_id=normalized)
                error, status = "A trace id is 32 hexadecimal characters.", 400
            else:
                try:
                    page = trace_page(
                        organization=organization,
                        search=form.search_kwargs(),
                        before=form.cleaned_data["before"],
                    )
                except DomainError as exc:
                    error, status = exc.message, 400
        else:
            status = 400
        query = request.GET.copy()
        query.pop("before", None)
        return render(
            request,
            "dashboard/traces.html",
            {
                "organization": organization,
                "form": form,
                "page": page,
                "error": error,
                "tristate": TRISTATE,
                "query": query.urlencode(),
                "filtered": any(v for k, v in request.GET.items() if k != "before"),
            },
            status=status,
        )


def _trace_context(organization, trace_id: str) -> dict:
    try:
        detail = traces.trace_get(organization=organization, trace_id=trace_id)
    except NotFound:
        raise Http404("No such trace.") from None
    session = detail.replay
    replay_url = None
    if session is not None:
        replay_url = (
            reverse(
                "session_detail",
                kwargs={"org_slug": organization.slug, "session_id": session.session_id},
            )
            + f"?t={max(int(detail.replay_offset_ms), 0)}"
        )
    return {
        "organization": organization,
        "trace": detail,
        "rows": waterfall_rows(detail),
        "session": session,
        "replay_url": replay_url,
        "logs": detail.logs,
    }


class TraceDetailView(OrganizationView):
    def get(self, request, *, organization, membership, trace_id: str, **kwargs):
        context = _trace_context(organization, trace_id)
        return render(request, "dashboard/trace_detail.html", context)


class TraceWaterfallView(OrganizationView):
    """The waterfall as an HTML fragment, opened inline on the session page."""

    def get(self, request, *, organization, membership, trace_id: str, **kwargs):
        context = _trace_context(organization, trace_id)
        context["inline"] = True
        return render(request, "dashboard/_waterfall.html", context)
