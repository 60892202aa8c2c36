"""Writes of the dashboard: saved session filters."""

from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization

from .forms import SESSION_FILTER_FIELDS
from .models import SavedFilter

MAX_SAVED_FILTERS = 100


def clean_filter_query(query: str) -> str:
    """Only the list's filter parameters survive (never page, never anything else)."""
    pairs = [(k, v.strip()) for k, v in parse_qsl(query or "") if k in SESSION_FILTER_FIELDS]
    return urlencode([(k, v) for k, v in pairs if v])


def saved_filter_create(*, organization: Organization, name: str, query: str, user) -> SavedFilter:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Give the filter a name.", code="name_required")
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
                organization=organization, name=name[:80], query=cleaned, created_by=user
            )
    except IntegrityError:
        raise DomainError(f"A filter named “{name}” already exists.", code="name_taken") from None


def saved_filter_delete(*, organization: Organization, filter_id: int) -> None:
    deleted, _ = SavedFilter.objects.filter(organization=organization, pk=filter_id).delete()
    if not deleted:
        raise NotFound("No such saved filter.")
