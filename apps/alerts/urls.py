"""Alerts URLs: the settings page (under /o/<org_slug>/) and the REST endpoints."""

from django.urls import path

from apps.orgs.api.routers import OptionalSlashRouter

from .api import views as api
from .views import AlertRuleEditView, AlertsView

router = OptionalSlashRouter()
router.register("alert-rules", api.AlertRuleViewSet, basename="alert-rule")
router.register("alert-deliveries", api.AlertDeliveryViewSet, basename="alert-delivery")

api_urlpatterns = [*router.urls]

org_urlpatterns = [
    path("alerts/", AlertsView.as_view(), name="alerts"),
    path("alerts/<int:rule_id>/", AlertRuleEditView.as_view(), name="alert_rule"),
]
