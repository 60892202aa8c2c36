"""The Content-Security-Policy header of every response, written by django-csp.

The policy lives in ``settings.CONTENT_SECURITY_POLICY``. One thing in it cannot be written down
in settings: the address of this install's static files, the only place pages may load scripts,
styles, images and fonts from. ``STATIC_SOURCE`` stands for it there and is replaced per request
by ``<scheme>://<host>/static/`` (and the ``QORRELATE_PUBLIC_URL`` form of it, or ``STATIC_URL``
itself when that is absolute).

Why a path and not ``'self'``: the session page's replay frame is an ``about:blank`` document
that inherits this page's policy, and a recorded (or forged) page may name any dashboard URL as an
image, stylesheet or font. With ``'self'`` the viewer's browser would fetch those dashboard pages
with the viewer's cookies; with ``/static/`` it can only fetch Qorrelate's own public assets.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

STATIC_SOURCE = "qorrelate:static"
SELF = "'self'"


def static_sources(request: HttpRequest) -> list[str]:
    url = settings.STATIC_URL
    if "://" in url or url.startswith("//"):
        return [url]
    try:
        sources = [f"{request.scheme}://{request.get_host()}{url}"]
    except DisallowedHost:
        return [SELF]  # an error reply to a bad Host; it loads nothing of ours anyway
    if settings.PUBLIC_URL:
        public = f"{settings.PUBLIC_URL}{url}"
        if public not in sources:
            sources.append(public)
    return sources


def _expand(directives: dict | None, sources: list[str]) -> dict | None:
    if directives is None:
        return None
    expanded = {}
    for name, value in directives.items():
        if isinstance(value, (list, tuple, set)) and STATIC_SOURCE in value:
            value = [s for v in value for s in (sources if v == STATIC_SOURCE else [v])]
        expanded[name] = value
    return expanded


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # django-csp builds both policies before it looks at ``csp_exempt``; a view exempt from
        # both (the replay intake's JSON replies, never rendered as a page) skips that work,
        # ~0.1-0.2 ms of CPU per request.
        if getattr(response, "_csp_exempt", False) and getattr(response, "_csp_exempt_ro", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        sources = static_sources(request)
        if parts.config is None:
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
        parts.config = _expand(parts.config, sources)
        parts.update = _expand(parts.update, sources)
        parts.replace = _expand(parts.replace, sources)
        return parts
