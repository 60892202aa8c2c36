"""Tickets URLs: REST API under /api/v1/, dashboard pages under /o/<org_slug>/, and the public
helpdesk webhook."""

from django.urls import path, re_path

from apps.orgs.api.routers import OptionalSlashRouter

from .api.views import SessionTicketsView, TicketViewSet
from .views.integrations import IntegrationsView
from .views.tickets import TicketDetailView, TicketLinkSessionView, TicketListView
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

org_urlpatterns = [
    path("tickets/", TicketListView.as_view(), name="tickets"),
    path("tickets/<int:ticket_id>/", TicketDetailView.as_view(), name="ticket_detail"),
    path(
        "tickets/link-session/<str:session_id>/",
        TicketLinkSessionView.as_view(),
        name="ticket_link_session",
    ),
    path("integrations/", IntegrationsView.as_view(), name="integrations"),
]

public_urlpatterns = [
    path("webhooks/helpdesk/<str:public_id>", helpdesk_webhook, name="helpdesk_webhook"),
]
