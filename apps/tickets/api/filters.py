"""Query parameters of GET /api/v1/tickets (also used by the dashboard's list)."""

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from apps.core.errors import DomainError
from apps.orgs.api.query import OFFSET_MESSAGE, offset_in_range
from apps.orgs.models import Organization

from ..models import TicketSource, TicketStatus

LIST_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=TicketStatus.values),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="Open or pending (true), else not."),
    OpenApiParameter("source", OpenApiTypes.STR, enum=TicketSource.values),
    OpenApiParameter("reporter", OpenApiTypes.STR, description="Reporter user id or e-mail."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Subject contains, or external id is."),
    OpenApiParameter("session_id", OpenApiTypes.STR, description="Tickets linked to a session."),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
]

_BOOL = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _choice(params, name: str, choices: list[str]) -> str | None:
    value = (params.get(name) or "").strip().lower()
    if value and value not in choices:
        raise DomainError(f"{name} must be one of {', '.join(choices)}.", code=f"invalid_{name}")
    return value or None


def _datetime(params, name: str):
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise DomainError(f"{name} must be an ISO 8601 date and time.", code=f"invalid_{name}")
    if not offset_in_range(parsed):
        raise DomainError(f"{name}: {OFFSET_MESSAGE}", code=f"invalid_{name}")
    return parsed


def list_filters(request, organization: Organization) -> dict:
    params = getattr(request, "query_params", None) or request.GET
    is_open = (params.get("open") or "").strip().lower()
    if is_open and is_open not in _BOOL:
        raise DomainError("open must be true or false.", code="invalid_open")
    return {
        "status": _choice(params, "status", TicketStatus.values),
        "source": _choice(params, "source", TicketSource.values),
        "is_open": _BOOL.get(is_open),
        "reporter": (params.get("reporter") or "").strip()[:255] or None,
        "q": (params.get("q") or "").strip()[:200] or None,
        "session_id": (params.get("session_id") or "").strip()[:64] or None,
        "created_after": _datetime(params, "created_after"),
        "created_before": _datetime(params, "created_before"),
    }
