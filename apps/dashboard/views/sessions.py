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
        action = request.POST.get("action")
        target = reverse("sessions", kwargs={"org_slug": organization.slug})
        try:
            if action == "save_filter":
                form = SavedFilterForm(request.POST)
                if not form.is_valid():
                    raise DomainError("Give the filter a name (80 characters at most).")
                saved = services.saved_filter_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    query=form.cleaned_data["query"],
                    user=request.user,
                )
                messages.success(request, f"Saved “{saved.name}”.")
                return redirect(f"{target}?{saved.query}")
            if action == "delete_filter":
                services.saved_filter_delete(
                    organization=organization, filter_id=_int(request.POST.get("filter_id"))
                )
                messages.success(request, "Saved filter deleted.")
                return redirect(target)
            raise DomainError("Unknown action.", code="unknown_action")
        except DomainError as exc:
            messages.error(request, exc.message)
            query = services.clean_filter_query(request.POST.get("query", ""))
            return redirect(f"{target}?{query}" if query else target)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError("Missing or invalid id.", code="invalid_id") from exc
