"""Insights URLs: the pages (under /o/<org_slug>/) and the REST endpoints."""

from django.urls import path

from apps.orgs.api.routers import OptionalSlashRouter

from .api import views as api
from .views import InsightDetailView, InsightsView

router = OptionalSlashRouter()
router.register("insights", api.InsightViewSet, basename="insight")
router.register("findings", api.FindingViewSet, basename="finding")

api_urlpatterns = [*router.urls]

org_urlpatterns = [
    path("insights/", InsightsView.as_view(), name="insights"),
    path("insights/<int:insight_id>/", InsightDetailView.as_view(), name="insight_detail"),
]
