"""The organization's own network-header deny list, and its enforcement at intake.

Network details (docs/recorder.md) keep request and response headers. The recorder redacts the
protocol's always-redacted names (``ALWAYS_REDACTED_HEADERS``: Authorization, Cookie,
Set-Cookie, X-API-Key) and whatever the page's ``data-redact-headers`` names; but a page may
not set that attribute, or an old or forged recorder may send anything. So the intake replaces
the value of every denied header (the fixed names and the organization's list) with
``[redacted]`` before a batch is stored, and the masking audit reports any such value found
in a stored recording (``walker``: kind ``denied_header``).
"""

import re

from apps.core.errors import DomainError
from apps.orgs.models import Organization
from apps.replay.protocol import ALWAYS_REDACTED_HEADERS

__all__ = [
    "ALWAYS_REDACTED_HEADERS",
    "denied_header_attributes",
    "denied_headers",
    "network_header_denylist_set",
    "strip_denied_headers",
]

REDACTED = "[redacted]"
NETWORK_TAG = "qorrelate.network"
MAX_HEADERS = 50
# An HTTP field name (RFC 9110 token), at most 100 characters.
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9a-z-]{1,100}\Z")


def denied_headers(*, organization: Organization) -> frozenset[str]:
    """Every header name whose value is never stored for this organization (lower case)."""
    return frozenset(ALWAYS_REDACTED_HEADERS) | frozenset(organization.network_header_denylist)


# OpenTelemetry's HTTP semantic conventions keep captured headers as span and log attributes,
# ``http.request.header.<name>`` (lower case; some SDKs, Python's among them, write ``_`` for
# ``-``).
_HEADER_ATTRIBUTES = ("http.request.header.", "http.response.header.")


def denied_header_attributes(*, organization: Organization) -> frozenset[str]:
    """The span and log attribute keys of the denied headers: the OTLP intake stores
    ``[redacted]`` for their values, as the replay intake does for network details."""
    return frozenset(
        prefix + spelling
        for name in denied_headers(organization=organization)
        for spelling in {name, name.replace("-", "_")}
        for prefix in _HEADER_ATTRIBUTES
    )


def network_header_denylist_set(*, organization: Organization, headers: list) -> Organization:
    """Replace the organization's own list: names are lower-cased, deduplicated, sorted; a name
    that is not an HTTP header name, or more than ``MAX_HEADERS`` of them, is refused."""
    if not isinstance(headers, list):
        raise DomainError("headers must be a list of header names.", code="invalid_headers")
    names = set()
    for value in headers:
        name = value.strip().lower() if isinstance(value, str) else ""
        if not name:
            continue
        if not HEADER_NAME.match(name):
            raise DomainError(
                f"{str(value)[:100]!r} is not an HTTP header name.", code="invalid_header_name"
            )
        names.add(name)
    names -= set(ALWAYS_REDACTED_HEADERS)  # always denied anyway
    if len(names) > MAX_HEADERS:
        raise DomainError(
            f"At most {MAX_HEADERS} header names, not {len(names)}.", code="too_many_headers"
        )
    organization.network_header_denylist = sorted(names)
    organization.save(update_fields=["network_header_denylist"])
    return organization


def strip_denied_headers(*, events: list[dict], denied: frozenset[str]) -> int:
    """Replace, in place, the value of every denied header in the batch's network details;
    returns how many values were replaced (the recorder's own ``[redacted]`` is left alone)."""
    stripped = 0
    for event in events:
        for headers in network_headers_of(event):
            for name, value in list(headers.items()):
                if isinstance(name, str) and name.lower() in denied and value != REDACTED:
                    headers[name] = REDACTED
                    stripped += 1
    return stripped


def network_headers_of(event) -> list[dict]:
    """The request and response header objects of a qorrelate.network event (else none)."""
    if not isinstance(event, dict) or event.get("type") != 5:
        return []
    data = event.get("data")
    if not isinstance(data, dict) or data.get("tag") != NETWORK_TAG:
        return []
    payload = data.get("payload")
    if not isinstance(payload, dict):
        return []
    found = []
    for side in ("request", "response"):
        details = payload.get(side)
        if isinstance(details, dict) and isinstance(details.get("headers"), dict):
            found.append(details["headers"])
    return found
