"""Dashboard pages: the tickets list, one ticket, and "link to ticket" from a session page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from apps.core.errors import DomainError
from apps.core.public_url import public_base_url
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from .. import presentation, selectors, services
from ..api.filters import list_filters
from ..forms import TicketCreateForm
from ..models import ChangeSource, TicketSource, TicketStatus
from ..services.links import session_lookup

PAGE_SIZE = 50


def ticket_or_404(organization, ticket_id):
    try:
        return selectors.ticket_get(organization=organization, ticket_id=ticket_id)
    except DomainError as exc:
        raise Http404(exc.message) from None


class TicketListView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization, TicketCreateForm())

    def post(self, request, *, organization, membership, **kwargs):
        form = TicketCreateForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, form, status=400)
        try:
            ticket = services.ticket_create(
                organization=organization,
                actor=request.user,
                change_source=ChangeSource.DASHBOARD,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, organization, form, status=exc.status)
        messages.success(request, f"Ticket {ticket.external_id} created.")
        return redirect("ticket_detail", org_slug=organization.slug, ticket_id=ticket.pk)

    def _render(self, request, organization, form, status=200):
        try:
            filters = list_filters(request, organization)
        except DomainError as exc:
            messages.error(request, exc.message)
            filters = {}
        tickets = selectors.with_link_counts(
            selectors.tickets_list(organization=organization, **filters)
        )
        page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "tickets/list.html",
            {
                "organization": organization,
                "page": page,
                "tickets": page.object_list,
                "filters": request.GET,
                "filtered": any(filters.values()),
                "statuses": TicketStatus.choices,
                "sources": TicketSource.choices,
                "form": form,
                "show_form": status != 200,
                "can_edit": self.can(Role.MEMBER),
                "can_integrate": self.can(Role.ADMIN),
                "has_any": selectors.tickets_list(organization=organization).exists(),
            },
            status=status,
        )


class TicketDetailView(OrganizationView):
    def get(self, request, *, organization, membership, ticket_id, **kwargs):
        ticket = ticket_or_404(organization, ticket_id)
        base_url = public_base_url(request)
        trace_links, _summaries = presentation.trace_links_with_summaries(
            organization=organization, ticket=ticket
        )
        linked = presentation.linked_session_rows(
            organization=organization, ticket=ticket, base_url=base_url
        )
        others = presentation.session_rows(
            organization=organization,
            sessions=selectors.reporter_other_sessions(organization=organization, ticket=ticket),
            base_url=base_url,
        )
        return render(
            request,
            "tickets/detail.html",
            {
                "organization": organization,
                "ticket": ticket,
                "history": selectors.ticket_status_history(
                    organization=organization, ticket=ticket
                ),
                "session_rows": linked,
                "other_rows": others,
                "trace_links": trace_links,
                "window_start": selectors.link_window(ticket=ticket)[0],
                "statuses": TicketStatus.choices,
                "can_edit": self.can(Role.MEMBER),
            },
        )

    def post(self, request, *, organization, membership, ticket_id, **kwargs):
        ticket = ticket_or_404(organization, ticket_id)
        action = request.POST.get("action", "")
        value = request.POST.get("value", "").strip()
        common = {"organization": organization, "ticket": ticket}
        try:
            if action == "status":
                services.ticket_update(
                    **common, status=value, actor=request.user, change_source=ChangeSource.DASHBOARD
                )
                messages.success(request, f"Status set to {value}.")
            elif action == "link_session":
                services.ticket_link_session(**common, session_id=value, linked_by=request.user)
                messages.success(request, f"Session {value} linked.")
            elif action == "unlink_session":
                services.ticket_unlink_session(**common, session_id=value)
                messages.success(request, f"Session {value} unlinked.")
            elif action == "link_trace":
                services.ticket_link_trace(**common, trace_id=value, linked_by=request.user)
                messages.success(request, "Trace linked.")
            elif action == "unlink_trace":
                services.ticket_unlink_trace(**common, trace_id=value)
                messages.success(request, "Trace unlinked.")
            else:
                messages.error(request, "Unknown action.")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("ticket_detail", org_slug=organization.slug, ticket_id=ticket.pk)


class TicketLinkSessionView(OrganizationView):
    """The session page's "link to ticket" form: an existing ticket by id, or a helpdesk
    ticket number (created if new). Redirects back to ``next`` (same site) or the ticket."""

    http_method_names = ["post"]

    def post(self, request, *, organization, membership, session_id, **kwargs):
        try:
            session = session_lookup(organization=organization, session_id=session_id)
        except DomainError as exc:
            raise Http404(exc.message) from None
        try:
            ticket, _link, created = services.session_link_to_ticket(
                organization=organization,
                session=session,
                ticket_id=request.POST.get("ticket_id", ""),
                external_id=request.POST.get("external_id", ""),
                source=request.POST.get("source", ""),
                reason=request.POST.get("reason", ""),
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._back(request, organization, None)
        messages.success(
            request,
            f"Linked to ticket {ticket.external_id}." if created else "Already linked.",
        )
        return self._back(request, organization, ticket)

    def _back(self, request, organization, ticket):
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        if ticket is not None:
            return redirect("ticket_detail", org_slug=organization.slug, ticket_id=ticket.pk)
        return redirect(reverse("tickets", kwargs={"org_slug": organization.slug}))
