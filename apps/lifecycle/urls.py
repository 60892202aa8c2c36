"""Lifecycle URLs: the Sampling and Retention settings pages (under /o/<org_slug>/) and the
REST endpoints (under /api/v1/)."""

from django.urls import path

from apps.orgs.api.routers import OptionalSlashRouter

from .api import views as api
from .views import retention, sampling

router = OptionalSlashRouter()
router.register("sampling-rules", api.SamplingRuleViewSet, basename="sampling-rule")
router.register("sampling-decisions", api.SessionDecisionViewSet, basename="sampling-decision")
router.register("retention/deletions", api.DeletionLogViewSet, basename="retention-deletion")

api_urlpatterns = [
    path("sampling-policy", api.SamplingPolicyView.as_view(), name="api-sampling-policy"),
    path("retention/policy", api.RetentionPolicyView.as_view(), name="api-retention-policy"),
    path("retention/preview", api.RetentionPreviewView.as_view(), name="api-retention-preview"),
    *router.urls,
]

org_urlpatterns = [
    path("sampling/", sampling.SamplingView.as_view(), name="sampling"),
    path("retention/", retention.RetentionView.as_view(), name="retention"),
]
