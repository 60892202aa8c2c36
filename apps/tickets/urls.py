"""Tickets URLs: REST API under /api/v1/, dashboard pages under /o/<org_slug>/, and the public
helpdesk webhook."""

from django.urls import re_path

from apps.orgs.api.routers import OptionalSlashRouter

from .api.views import SessionTicketsView, TicketViewSet

router = OptionalSlashRouter()
router.register("tickets", TicketViewSet, basename="ticket")

api_urlpatterns = [
    *router.urls,
    re_path(
        r"^sessions/(?P<session_id>[^/]+)/tickets/?$",
        SessionTicketsView.as_view(),
        name="session-tickets",
    ),
]
