"""Privacy URLs: the Privacy page (under /o/<org_slug>/) and the REST endpoints."""

from django.urls import path

from apps.orgs.api.routers import OptionalSlashRouter

from .api import views as api
from .views import NetworkHeadersView, PrivacyView

router = OptionalSlashRouter()
router.register("privacy/findings", api.FindingViewSet, basename="privacy-finding")

api_urlpatterns = [
    path("privacy/summary", api.SummaryView.as_view(), name="api-privacy-summary"),
    path("privacy/settings", api.SettingsView.as_view(), name="api-privacy-settings"),
    path("privacy/audits", api.AuditNowView.as_view(), name="api-privacy-audits"),
    path(
        "privacy/network-headers",
        api.NetworkHeadersView.as_view(),
        name="api-privacy-network-headers",
    ),
    *router.urls,
]

org_urlpatterns = [
    path("privacy/", PrivacyView.as_view(), name="privacy"),
    path("privacy/network-headers/", NetworkHeadersView.as_view(), name="privacy_network_headers"),
]
