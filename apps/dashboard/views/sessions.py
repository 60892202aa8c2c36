"""The sessions list: search, filters, sorting, pagination and saved filters."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.errors import DomainError
from apps.core.public_url import public_base_url
from apps.orgs.models import Role
from apps.orgs.snippets import install_snippets
from apps.orgs.tenancy import OrganizationView
from apps.replay.selectors import sessions_search
from apps.tickets.presentation import session_rows
from apps.tickets.selectors import sessions_with_ticket

from .. import selectors, services
from ..forms import SORTS, TRISTATE, SavedFilterForm, SessionFilterForm

PAGE_SIZE = 25


class SessionListView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        form = SessionFilterForm(request.GET)
        rows, page, status = [], None, 200
        if form.is_valid():
            sessions = sessions_search(organization=organization, **form.search_kwargs())
            sessions = sessions_with_ticket(
                sessions, organization=organization, has_ticket=form.wants_ticket
            )
            page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = session_rows(
                organization=organization,
                sessions=page.object_list,
                base_url=public_base_url(request),
                ticket_counts=True,
            )
        else:
            status = 400
        filtered = bool(form.active()) if form.is_bound else False
        empty_org = page is not None and page.paginator.count == 0 and not filtered
        base = public_base_url(request)
        return render(
            request,
            "dashboard/sessions.html",
            {
                "organization": organization,
                "form": form,
                "page": page,
                "rows": rows,
                "filtered": filtered,
                "active_filters": form.active() if form.is_bound else {},
                "empty_org": empty_org,
                "sorts": SORTS,
                "tristate": TRISTATE,
                "current_sort": request.GET.get("sort") or "-start",
                "browsers": selectors.browsers_seen(organization=organization),
                "saved_filters": selectors.saved_filters(organization=organization),
                "save_form": SavedFilterForm(initial={"query": form.query_string(page=None)}),
                "query_without_page": form.query_string(page=None),
                "query_without_sort": form.query_string(page=None, sort=None),
                "can_write": self.can(Role.MEMBER),
                **(install_snippets(organization, base) if empty_org else {}),
            },
            status=status,
        )

    def post(self, request, *, organization, membership, **kwargs):
        target = reverse("sessions", kwargs={"org_slug": organization.slug})
        try:
            done = services.sessions_page_action(
                organization=organization,
                user=request.user,
                action=request.POST.get("action", ""),
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                filter_id=request.POST.get("filter_id"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            query = services.clean_filter_query(request.POST.get("query", ""))
        else:
            messages.success(request, done.message)
            query = done.query
        return redirect(f"{target}?{query}" if query else target)
