"""Root URLs. Each app's ``urls`` module may define:

* ``public_urlpatterns`` — mounted at the root (sign-up, intake endpoints, webhooks…);
* ``org_urlpatterns`` — dashboard pages, mounted under ``/o/<org_slug>/`` and served by views
  built on ``apps.orgs.tenancy.OrganizationView``;
* ``api_urlpatterns`` — REST endpoints, mounted under ``/api/v1/`` and built on
  ``apps.orgs.api.base``.

New apps plug in here without editing this file; the URL-walking ownership test covers them.
"""

import importlib

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from apps.orgs.views import auth as auth_views

from . import health

DOMAIN_APPS = [name for name in settings.INSTALLED_APPS if name.startswith("apps.")]


def _collect(attribute: str) -> list:
    patterns: list = []
    for name in DOMAIN_APPS:
        try:
            module = importlib.import_module(f"{name}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.urls":
                raise
            continue
        patterns += getattr(module, attribute, [])
    return patterns


# The API docs are third-party UIs and show no recorded content: Swagger UI's start script is
# served by its own view (the split view, ``?script``), both UIs add <style> elements, and Redoc
# searches in a blob: worker.
API_DOCS_POLICY = {
    "script-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
}


def _api_patterns() -> list:
    from apps.orgs.api.urls import urlpatterns as orgs_api

    return orgs_api + _collect("api_urlpatterns")


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico wherever a page names no icon (the API docs, JSON replies).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg")), name="favicon"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Before Django's own: the password reset form with its brute-force limits.
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        csp_update(API_DOCS_POLICY)(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api_docs",
    ),
    path(
        "api/redoc/",
        csp_update(API_DOCS_POLICY)(SpectacularRedocView.as_view(url_name="schema")),
        name="api_redoc",
    ),
    path("api/v1/", include(_api_patterns())),
    path("o/<slug:org_slug>/", include(_collect("org_urlpatterns"))),
    *_collect("public_urlpatterns"),
]

# JSON for /api/ (unknown URLs, errors outside a view); Django's pages elsewhere.
handler404 = "apps.orgs.api.errors.page_not_found"
handler500 = "apps.orgs.api.errors.server_error"
