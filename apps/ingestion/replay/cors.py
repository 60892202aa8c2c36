"""CORS for the intake: the recorder runs on customers' sites and posts cross-origin.

An organization's ``allowed_origins`` (empty: any origin) decide which sites may send. Allowed
origins get their Origin echoed back; a disallowed one gets 403 with the reason, readable by the
recorder (the reply says nothing the page could not learn otherwise), so it stops politely. Requests
without an Origin (servers, curl, the benchmark) are not browser cross-origin requests and are
not restricted by it.
"""

from urllib.parse import urlsplit

from apps.orgs.models import Organization

from ..pipeline.errors import IntakeError

ALLOW_METHODS = "POST, OPTIONS"
ALLOW_HEADERS = "Content-Type, Content-Encoding"
EXPOSE_HEADERS = "Retry-After"
MAX_AGE = "86400"


def normalize(origin: str) -> str | None:
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _matches(origin: str, allowed: str) -> bool:
    # "https://*.example.com" allows any subdomain of example.com (not example.com itself).
    if "://*." in allowed:
        scheme, host = allowed.split("://*.", 1)
        return origin.startswith(scheme + "://") and origin.endswith("." + host.lower())
    return origin == allowed.rstrip("/").lower()


def check_origin(organization: Organization, origin: str | None) -> None:
    if origin is None or not organization.allowed_origins:
        return
    normalized = normalize(origin)
    if normalized and any(_matches(normalized, a) for a in organization.allowed_origins):
        return
    raise IntakeError(
        403,
        "origin_not_allowed",
        f"Origin {origin} is not in this organization's allowed origins; add it under "
        "Settings → General (Allowed origins), or leave the list empty to accept any origin.",
    )


def headers_for(origin: str | None) -> dict[str, str]:
    """Headers that let the browser read the reply."""
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": EXPOSE_HEADERS,
        "Vary": "Origin",
    }


def preflight_headers(origin: str) -> dict[str, str]:
    return {
        **headers_for(origin),
        "Access-Control-Allow-Methods": ALLOW_METHODS,
        "Access-Control-Allow-Headers": ALLOW_HEADERS,
        "Access-Control-Max-Age": MAX_AGE,
    }
