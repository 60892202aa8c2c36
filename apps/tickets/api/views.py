"""``/api/v1/tickets`` and ``/api/v1/sessions/{session_id}/tickets``: thin views over the
tickets services and selectors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.errors import DomainError
from apps.core.public_url import public_base_url
from apps.orgs.api.base import OrganizationAPIView, OrganizationViewSet

from .. import presentation, selectors, services
from ..models import LinkHow
from . import serializers as s
from .filters import LIST_PARAMETERS, list_filters


def _results(name: str, item):
    return inline_serializer(name, {"results": item})


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Support tickets of the organization and their links to sessions and traces."""

    serializer_class = s.TicketSerializer
    filter_backends: list = []

    def get_org_queryset(self, organization):
        if self.action == "list":
            return selectors.with_link_counts(
                selectors.tickets_list(
                    organization=organization, **list_filters(self.request, organization)
                )
            )
        return selectors.tickets_list(organization=organization)

    def get_object(self):
        return selectors.ticket_get(organization=self.organization, ticket_id=self.kwargs["pk"])

    def _actor(self):
        return self.request.user if getattr(self.request.user, "pk", None) else None

    def _base_url(self) -> str:
        return public_base_url(self.request)

    @extend_schema(summary="List tickets", parameters=LIST_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A ticket with its status history", responses=s.TicketDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(s.TicketDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a ticket (and link the reporter's recent sessions)",
        request=s.TicketCreateSerializer,
        responses={201: s.TicketDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.TicketCreateSerializer, request.data)
        ticket = services.ticket_create_linked(
            organization=self.organization, actor=self._actor(), **data
        )
        return Response(s.TicketDetailSerializer(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Create or update a ticket by source and external id (idempotent)",
        request=s.TicketCreateSerializer,
        responses={200: s.TicketDetailSerializer, 201: s.TicketDetailSerializer},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request, *args, **kwargs):
        data = _valid(s.TicketCreateSerializer, request.data)
        ticket, created = services.ticket_upsert_linked(
            organization=self.organization, actor=self._actor(), **data
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.TicketDetailSerializer(ticket).data, status=code)

    @extend_schema(
        summary="Change a ticket's subject, status, reporter, URL or window",
        request=s.TicketFieldsSerializer,
        responses=s.TicketDetailSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        data = _valid(s.TicketFieldsSerializer, request.data)
        ticket = services.ticket_update(
            organization=self.organization, ticket=self.get_object(), actor=self._actor(), **data
        )
        return Response(s.TicketDetailSerializer(ticket).data)

    @extend_schema(
        summary="Close a ticket (as closed, or solved)",
        request=s.CloseSerializer,
        responses=s.TicketDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        data = _valid(s.CloseSerializer, request.data)
        ticket = services.ticket_close(
            organization=self.organization,
            ticket=self.get_object(),
            status=data["status"],
            actor=self._actor(),
        )
        return Response(s.TicketDetailSerializer(ticket).data)

    @extend_schema(summary="Reopen a ticket", request=None, responses=s.TicketDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        ticket = services.ticket_reopen(
            organization=self.organization, ticket=self.get_object(), actor=self._actor()
        )
        return Response(s.TicketDetailSerializer(ticket).data)

    # Sessions ---------------------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The ticket's sessions (with replay links at the first error)",
        responses=_results("LinkedSessions", s.LinkedSessionSerializer(many=True)),
    )
    @extend_schema(
        methods=["post"],
        summary="Link a session to the ticket",
        request=s.SessionLinkRequestSerializer,
        responses={201: s.LinkedSessionSerializer, 200: s.LinkedSessionSerializer},
    )
    @extend_schema(
        methods=["delete"],
        summary="Unlink a session (session_id in the body or the query)",
        request=s.SessionUnlinkRequestSerializer,
        parameters=[OpenApiParameter("session_id", OpenApiTypes.STR, required=False)],
        responses={204: OpenApiResponse(description="Unlinked.")},
    )
    @action(detail=True, methods=["get", "post", "delete"], pagination_class=None)
    def sessions(self, request, *args, **kwargs):
        ticket = self.get_object()
        if request.method == "POST":
            data = _valid(s.SessionLinkRequestSerializer, request.data)
            link, created = services.ticket_link_session(
                organization=self.organization,
                ticket=ticket,
                session_id=data["session_id"],
                linked_by=self._actor(),
                how=LinkHow.API,
                reason=data.get("reason", ""),
            )
            code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
            return Response(self._session_links(ticket, [link])[0], status=code)
        if request.method == "DELETE":
            data = _valid(s.SessionUnlinkRequestSerializer, _body_or_query(request))
            services.ticket_unlink_session(
                organization=self.organization, ticket=ticket, session_id=data["session_id"]
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        links = list(selectors.ticket_session_links(organization=self.organization, ticket=ticket))
        return Response({"results": self._session_links(ticket, links[:500])})

    def _session_links(self, ticket, links) -> list:
        rows = presentation.session_rows(
            organization=self.organization,
            sessions=[link.session for link in links],
            base_url=self._base_url(),
        )
        urls = {row.session.pk: row.replay_url for row in rows}
        return s.LinkedSessionSerializer(links, many=True, context={"replay_urls": urls}).data

    # Traces -----------------------------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The ticket's traces",
        responses=_results("LinkedTraces", s.LinkedTraceSerializer(many=True)),
    )
    @extend_schema(
        methods=["post"],
        summary="Link a trace to the ticket",
        request=s.TraceLinkRequestSerializer,
        responses={201: s.LinkedTraceSerializer, 200: s.LinkedTraceSerializer},
    )
    @extend_schema(
        methods=["delete"],
        summary="Unlink a trace (trace_id in the body or the query)",
        request=s.TraceUnlinkRequestSerializer,
        parameters=[OpenApiParameter("trace_id", OpenApiTypes.STR, required=False)],
        responses={204: OpenApiResponse(description="Unlinked.")},
    )
    @action(detail=True, methods=["get", "post", "delete"], pagination_class=None)
    def traces(self, request, *args, **kwargs):
        ticket = self.get_object()
        if request.method == "POST":
            data = _valid(s.TraceLinkRequestSerializer, request.data)
            link, created = services.ticket_link_trace(
                organization=self.organization,
                ticket=ticket,
                trace_id=data["trace_id"],
                linked_by=self._actor(),
                how=LinkHow.API,
                reason=data.get("reason", ""),
            )
            code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
            return Response(self._trace_links(ticket, only=link)[0], status=code)
        if request.method == "DELETE":
            data = _valid(s.TraceUnlinkRequestSerializer, _body_or_query(request))
            services.ticket_unlink_trace(
                organization=self.organization, ticket=ticket, trace_id=data["trace_id"]
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response({"results": self._trace_links(ticket)})

    def _trace_links(self, ticket, only=None) -> list:
        links, summaries = presentation.trace_links_with_summaries(
            organization=self.organization, ticket=ticket
        )
        if only is not None:
            links = [link for link in links if link.pk == only.pk]
        return s.LinkedTraceSerializer(links, many=True, context={"summaries": summaries}).data

    # The reporter -----------------------------------------------------------------------

    @extend_schema(
        summary="The reporter's sessions in the hours before the ticket",
        parameters=[
            OpenApiParameter(
                "hours",
                OpenApiTypes.INT,
                description="Window before the ticket (default: the ticket's, 24 h).",
            )
        ],
        responses=_results("ReporterSessions", s.ReporterSessionSerializer(many=True)),
    )
    @action(detail=True, methods=["get"], url_path="reporter-sessions", pagination_class=None)
    def reporter_sessions(self, request, *args, **kwargs):
        ticket = self.get_object()
        hours = _hours(request.query_params.get("hours"))
        sessions = list(
            selectors.reporter_sessions(organization=self.organization, ticket=ticket, hours=hours)[
                :500
            ]
        )
        linked = set(
            selectors.ticket_session_links(organization=self.organization, ticket=ticket)
            .filter(session_id__in=[x.pk for x in sessions])
            .values_list("session_id", flat=True)
        )
        rows = presentation.session_rows(
            organization=self.organization, sessions=sessions, base_url=self._base_url()
        )
        data = [
            {
                "session_id": row.session.session_id,
                "started_at": row.session.started_at,
                "last_seen_at": row.session.last_seen_at,
                "duration_ms": row.session.duration_ms,
                "user_id": row.session.user_id,
                "error_count": row.session.error_count,
                "entry_url": row.session.entry_url,
                "linked": row.session.pk in linked,
                "replay_url": row.replay_url,
            }
            for row in rows
        ]
        return Response({"results": s.ReporterSessionSerializer(data, many=True).data})


class SessionTicketsView(OrganizationAPIView):
    """The tickets a session is linked to."""

    @extend_schema(
        summary="A session's tickets",
        responses=_results("SessionTickets", s.SessionTicketSerializer(many=True)),
    )
    def get(self, request, session_id: str, **kwargs):
        from ..services.links import session_lookup

        session = session_lookup(organization=self.organization, session_id=session_id)
        tickets = selectors.session_tickets(organization=self.organization, session=session)
        return Response({"results": s.SessionTicketSerializer(tickets, many=True).data})


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _body_or_query(request) -> dict:
    data = request.data if hasattr(request.data, "get") and request.data else {}
    return {**request.query_params.dict(), **data}


def _hours(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        hours = int(value)
    except (TypeError, ValueError):
        raise DomainError("hours must be a whole number.", code="invalid_hours") from None
    if not 1 <= hours <= 24 * 30:
        raise DomainError("hours is 1 to 720.", code="invalid_hours")
    return hours
