"""Replay's REST endpoints, mounted under /api/v1/."""

from apps.orgs.api.routers import OptionalSlashRouter

from .api.views import SessionViewSet

router = OptionalSlashRouter()
router.register("sessions", SessionViewSet, basename="session")

api_urlpatterns = router.urls
