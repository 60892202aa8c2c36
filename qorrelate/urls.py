"""Root URLs, every app's listed here by name. An app's ``urls`` module may define:

* ``public_urlpatterns`` — mounted at the root (sign-up, intake endpoints, webhooks…);
* ``org_urlpatterns`` — dashboard pages, mounted under ``/o/<org_slug>/`` and served by views
  built on ``apps.orgs.tenancy.OrganizationView``;
* ``api_urlpatterns`` — REST endpoints, mounted under ``/api/v1/`` and built on
  ``apps.orgs.api.base``.

A new app adds its module to the lists below; the URL-walking ownership test covers it.
"""

from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from apps.alerts import urls as alerts
from apps.billing import urls as billing
from apps.dashboard import urls as dashboard
from apps.ingestion import urls as ingestion
from apps.insights import urls as insights
from apps.lifecycle import urls as lifecycle
from apps.orgs import urls as orgs
from apps.orgs.api import urls as orgs_api
from apps.orgs.views import auth as auth_views
from apps.privacy import urls as privacy
from apps.replay import urls as replay
from apps.tickets import urls as tickets
from apps.traces import urls as traces

from . import health

api_urlpatterns = [
    *orgs_api.urlpatterns,
    *billing.api_urlpatterns,
    *replay.api_urlpatterns,
    *traces.api_urlpatterns,
    *tickets.api_urlpatterns,
    *privacy.api_urlpatterns,
    *insights.api_urlpatterns,
    *alerts.api_urlpatterns,
    *lifecycle.api_urlpatterns,
]
org_urlpatterns = [
    *orgs.org_urlpatterns,
    *billing.org_urlpatterns,
    *tickets.org_urlpatterns,
    *privacy.org_urlpatterns,
    *insights.org_urlpatterns,
    *alerts.org_urlpatterns,
    *lifecycle.org_urlpatterns,
    *dashboard.org_urlpatterns,
]
public_urlpatterns = [
    *orgs.public_urlpatterns,
    *billing.public_urlpatterns,
    *tickets.public_urlpatterns,
    *dashboard.public_urlpatterns,
    *ingestion.public_urlpatterns,
]

# The API docs are third-party UIs and show no recorded content: Swagger UI's start script is
# served by its own view (the split view, ``?script``), both UIs add <style> elements, and Redoc
# searches in a blob: worker.
API_DOCS_POLICY = {
    "script-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
}


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
    path("api/v1/", include(api_urlpatterns)),
    path("o/<slug:org_slug>/", include(org_urlpatterns)),
    *public_urlpatterns,
]

# JSON for /api/ (unknown URLs, errors outside a view); Django's pages elsewhere.
handler404 = "apps.orgs.api.errors.page_not_found"
handler500 = "apps.orgs.api.errors.server_error"
