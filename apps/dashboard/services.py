"""Writes of the dashboard: saved session filters, and the sessions page's actions."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization

from .forms import SESSION_FILTER_FIELDS
from .models import SavedFilter

MAX_SAVED_FILTERS = 100
MAX_NAME_LENGTH = 80  # SavedFilter.name
MAX_QUERY_LENGTH = 2000


def clean_filter_query(query: str) -> str:
    """Only the list's filter parameters survive (never page, never anything else)."""
    pairs = [(k, v.strip()) for k, v in parse_qsl(query or "") if k in SESSION_FILTER_FIELDS]
    return urlencode([(k, v) for k, v in pairs if v])


def saved_filter_create(*, organization: Organization, name: str, query: str, user) -> SavedFilter:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            f"Give the filter a name ({MAX_NAME_LENGTH} characters at most).", code="invalid_name"
        )
    if len(query or "") > MAX_QUERY_LENGTH:
        raise DomainError("This filter is too long to save.", code="query_too_long")
    cleaned = clean_filter_query(query)
    if not any(key != "sort" for key, _ in parse_qsl(cleaned)):
        raise DomainError("Set at least one filter before saving it.", code="empty_filter")
    if SavedFilter.objects.filter(organization=organization).count() >= MAX_SAVED_FILTERS:
        raise DomainError(
            f"An organization keeps at most {MAX_SAVED_FILTERS} saved filters.", code="too_many"
        )
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(
                organization=organization, name=name, query=cleaned, created_by=user
            )
    except IntegrityError:
        raise DomainError(f"A filter named “{name}” already exists.", code="name_taken") from None


def saved_filter_delete(*, organization: Organization, filter_id: str | int | None) -> None:
    try:
        pk = int(filter_id)
    except (TypeError, ValueError):
        raise DomainError("Missing or invalid id.", code="invalid_id") from None
    deleted, _ = SavedFilter.objects.filter(organization=organization, pk=pk).delete()
    if not deleted:
        raise NotFound("No such saved filter.")


@dataclass(frozen=True)
class ActionDone:
    message: str
    query: str  # the sessions list's query string to go back to


def sessions_page_action(
    *,
    organization: Organization,
    user,
    action: str,
    name: str = "",
    query: str = "",
    filter_id: str | int | None = None,
) -> ActionDone:
    """One POST of the sessions page: ``save_filter`` (``name``, ``query``) or
    ``delete_filter`` (``filter_id``); DomainError with the message to show when refused."""
    if action == "save_filter":
        saved = saved_filter_create(organization=organization, name=name, query=query, user=user)
        return ActionDone(f"Saved “{saved.name}”.", saved.query)
    if action == "delete_filter":
        saved_filter_delete(organization=organization, filter_id=filter_id)
        return ActionDone("Saved filter deleted.", "")
    raise DomainError("Unknown action.", code="unknown_action")
