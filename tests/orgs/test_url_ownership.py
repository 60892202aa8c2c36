"""Walks every URL pattern of the project, so endpoints added later are covered without anyone
remembering: an outsider gets 404 (or 403) on another organization's pages and API, a viewer
cannot write, an anonymous visitor gets nothing. Public URLs must be listed with a reason."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Every URL that is not organization-scoped, with the reason it is public.
PUBLIC = {
    r"^healthz$": "liveness probe",
    r"^readyz$": "readiness probe",
    r"^favicon\.ico$": "the browser's icon: redirects to the static favicon",
    r"^admin/": "Django admin (staff only, its own login)",
    r"^accounts/": "log in, log out, password reset",
    r"^api/schema/$": "the OpenAPI schema",
    r"^api/docs/$": "the API documentation page",
    r"^api/redoc/$": "the API documentation page",
    r"^$": "home: redirects to the user's organization or to log in",
    r"^signup/$": "sign-up",
    r"^orgs/new/$": "create another organization (signed-in users)",
    r"^invitations/": "invitation links (one-time token)",
    r"^ingest/": "browser recorder intake (authenticated by data-org-id and Origin)",
    r"^v1/(traces|logs)$": "OTLP/HTTP intake (authenticated by ingest key)",
    r"^r/": "replay links: redirect a signed-in member to the session",
    r"^webhooks/": "signed inbound helpdesk/payment webhooks",
    r"^static/": "static files",
}
WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(pattern: str, org_slug: str) -> str:
    # Regex groups first: their names look like path converters.
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)
    url = url.replace("<slug:org_slug>", org_slug)
    url = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), url)
    url = re.sub(r"<(?:\w+:)?\w+>", "1", url)
    url = url.replace("^", "").replace("$", "").replace("/?", "/").replace("\\", "")
    return "/" + url


def _all_patterns():
    return sorted(set(_walk(get_resolver().url_patterns)))


def _is_public(pattern: str) -> bool:
    normalized = pattern.lstrip("^")
    return any(re.match(rule, normalized) for rule in PUBLIC)


def test_every_url_is_either_organization_scoped_or_listed_as_public():
    unlisted = [
        p
        for p in _all_patterns()
        if not (p.startswith("o/<slug:org_slug>/") or p.startswith("api/v1/") or _is_public(p))
    ]
    assert unlisted == [], f"New public URLs must be listed in PUBLIC with a reason: {unlisted}"


def test_every_walked_url_resolves_to_the_pattern_it_was_made_from():
    from django.urls import Resolver404, resolve

    for pattern in _all_patterns():
        if not (pattern.startswith("o/<slug:org_slug>/") or pattern.startswith("api/v1/")):
            continue
        url = _concrete(pattern, "acme")
        try:
            match = resolve(url)
        except Resolver404:
            raise AssertionError(f"{pattern} became {url}, which resolves to nothing") from None
        assert match.route.replace("^", "") == pattern.replace("^", ""), (pattern, url)


def test_there_are_organization_scoped_pages_and_api_endpoints_to_walk():
    patterns = _all_patterns()
    assert sum(p.startswith("o/<slug:org_slug>/") for p in patterns) >= 4
    assert sum(p.startswith("api/v1/") for p in patterns) >= 4


def _dashboard_urls(org):
    return [_concrete(p, org.slug) for p in _all_patterns() if p.startswith("o/<slug:org_slug>/")]


def _api_urls():
    return [_concrete(p, "unused") for p in _all_patterns() if p.startswith("api/v1/")]


def test_an_outsider_gets_404_on_every_dashboard_page_of_another_organization(
    client, org_a, alice, charlie
):
    client.force_login(charlie)
    for url in _dashboard_urls(org_a):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"


def test_a_viewer_cannot_write_through_any_dashboard_page(client, org_a, vera):
    client.force_login(vera)
    for url in _dashboard_urls(org_a):
        response = client.post(url, {"action": "create", "name": "x"})
        assert response.status_code in (403, 405), f"POST {url} → {response.status_code}"


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_dashboard_page(client, org_a):
    for url in _dashboard_urls(org_a):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_an_outsider_cannot_select_another_organization_on_any_api_endpoint(
    outsider_client, org_a, alice
):
    for url in _api_urls():
        for method in ("get", *WRITE_METHODS):
            response = getattr(outsider_client, method)(
                url, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug, format="json"
            )
            assert response.status_code in (403, 404), f"{method} {url} → {response.status_code}"
            assert "error" in response.json()


def test_a_viewer_cannot_write_through_any_api_endpoint(viewer_client, org_a):
    for url in _api_urls():
        for method in WRITE_METHODS:
            response = getattr(viewer_client, method)(url, {}, format="json")
            assert response.status_code in (403, 405), f"{method} {url} → {response.status_code}"


def test_a_read_scoped_api_key_cannot_write_through_any_api_endpoint(api_key_client, org_a):
    client = api_key_client(org_a, scope="read")
    for url in _api_urls():
        for method in WRITE_METHODS:
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code in (403, 405), f"{method} {url} → {response.status_code}"


def test_an_anonymous_caller_gets_401_on_every_api_endpoint(client):
    for url in _api_urls():
        response = client.get(url)
        assert response.status_code == 401, f"GET {url} → {response.status_code}"
        assert response.json()["error"]["code"] == "not_authenticated"
