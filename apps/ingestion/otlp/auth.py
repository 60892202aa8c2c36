"""Ingest-key authentication: ``Authorization: Bearer <key>`` or ``X-Qorrelate-Ingest-Key``.

The second header exists for collectors, whose exporter ``headers:`` map sets plain headers.
"""

from apps.core.errors import AuthenticationFailed
from apps.orgs.models import KeyKind, Organization
from apps.orgs.services import key_authenticate

KEY_HEADER = "X-Qorrelate-Ingest-Key"


def raw_key(request) -> str:
    authorization = request.headers.get("Authorization", "").strip()
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return request.headers.get(KEY_HEADER, "").strip()


def authenticate(request) -> Organization:
    """The organization of the request's ingest key; raise AuthenticationFailed."""
    raw = raw_key(request)
    if not raw:
        raise AuthenticationFailed(
            f"Send an ingest key: 'Authorization: Bearer <key>' or '{KEY_HEADER}: <key>'.",
            code="missing_key",
        )
    return key_authenticate(raw=raw, kind=KeyKind.INGEST).organization
