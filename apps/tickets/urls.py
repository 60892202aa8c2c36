"""Tickets URLs: REST API under /api/v1/, dashboard pages under /o/<org_slug>/, and the public
helpdesk webhook."""

from django.urls import path, re_path

from apps.orgs.api.routers import OptionalSlashRouter

from .api.views import SessionTicketsView, TicketViewSet
from .webhooks.views import helpdesk_webhook

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

public_urlpatterns = [
    path("webhooks/helpdesk/<str:public_id>", helpdesk_webhook, name="helpdesk_webhook"),
]
