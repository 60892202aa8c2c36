"""REST endpoints for the backend side of sessions: traces, logs, span trees and span search."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.response import Response

from apps.orgs.api.base import OrganizationAPIView, OrganizationGenericAPIView
from apps.orgs.api.pagination import DefaultCursorPagination

from .. import selectors
from ..models import LogRecord
from . import params
from .serializers import (
    LogRecordSerializer,
    SessionTracesSerializer,
    SpanSerializer,
    TraceDetailSerializer,
)


class NewestSpansFirst(DefaultCursorPagination):
    ordering = ("-start_time_unix_nano", "-id")


class OldestLogsFirst(DefaultCursorPagination):
    ordering = ("time_unix_nano", "id")


class SessionTracesView(OrganizationAPIView):
    """The session's backend traces, earliest first: those with a span carrying this session id
    and those a browser request of the session carried (traceparent), with root span,
    duration, error flag and offset from the session's start (open the replay there)."""

    @extend_schema(responses=SessionTracesSerializer, operation_id="session_traces")
    def get(self, request, session_id: str, **kwargs):
        result = selectors.session_traces(organization=self.organization, session_id=session_id)
        return Response(SessionTracesSerializer(result).data)


class SessionLogsView(mixins.ListModelMixin, OrganizationGenericAPIView):
    """The session's backend log records, oldest first, each with its offset in the replay: the
    records carrying its session id, and those carrying only the trace context of one of its
    traces (the session page lists the same)."""

    serializer_class = LogRecordSerializer
    pagination_class = OldestLogsFirst
    session_start_ms = None

    def get_org_queryset(self, organization):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular's schema pass
            return LogRecord.objects.none()
        session_id = self.kwargs["session_id"]
        ids = selectors.session_trace_ids(organization=organization, session_id=session_id)
        self.session_start_ms = ids.replay.start_ms if ids.replay else None
        return selectors.session_logs_query(
            organization=organization, session_id=session_id, trace_ids=ids.trace_ids
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "session_start_ms": self.session_start_ms}

    @extend_schema(operation_id="session_logs")
    def get(self, request, session_id: str, **kwargs):
        return self.list(request)


class TraceDetailView(OrganizationAPIView):
    """One trace as waterfall data (spans depth-first with depth and offset), with the session
    it belongs to and where it starts in that session's replay."""

    @extend_schema(responses=TraceDetailSerializer, operation_id="trace_retrieve")
    def get(self, request, trace_id: str, **kwargs):
        detail = selectors.trace_get(organization=self.organization, trace_id=trace_id)
        return Response(TraceDetailSerializer(detail).data)


_SPAN_PARAMETERS = [
    OpenApiParameter(
        "attr",
        {"type": "object", "additionalProperties": {"type": "string"}},
        style="deepObject",
        explode=True,
        description="Attribute filters: `attr[<key>]=<value>`, e.g. `attr[session.id]=…` "
        "(span attributes, else resource attributes, compared as text). `session.id` is "
        "indexed.",
    ),
    OpenApiParameter("service", str, description="service.name of the emitting resource"),
    OpenApiParameter("name", str, description="Exact span name"),
    OpenApiParameter("status", str, description="Span status: unset, ok or error"),
    OpenApiParameter("is_error", bool, description="Status ERROR or HTTP 5xx"),
    OpenApiParameter("trace_id", str),
    OpenApiParameter(
        "session_id",
        str,
        description="The spans of the session's traces, as its session page shows them: traces "
        "with a span carrying this session id or carried by one of its browser requests",
    ),
    OpenApiParameter(
        "start", OpenApiTypes.STR, description="Spans starting at or after (ISO 8601 or ns)"
    ),
    OpenApiParameter("end", OpenApiTypes.STR, description="Spans starting before (ISO 8601 or ns)"),
]


class SpanListView(mixins.ListModelMixin, OrganizationGenericAPIView):
    """Span search, newest first: the article's "all traces for a session" as an API."""

    serializer_class = SpanSerializer
    pagination_class = NewestSpansFirst

    def get_org_queryset(self, organization):
        query = self.request.query_params
        return selectors.spans_search(
            organization=organization,
            attributes=params.attribute_filters(query),
            service=query.get("service") or None,
            name=query.get("name") or None,
            status=query.get("status") or None,
            is_error=params.boolean(query.get("is_error"), "is_error"),
            trace_id=query.get("trace_id") or None,
            session_id=query.get("session_id") or None,
            start_unix_nano=params.unix_nano(query.get("start"), "start"),
            end_unix_nano=params.unix_nano(query.get("end"), "end"),
        )

    @extend_schema(parameters=_SPAN_PARAMETERS, operation_id="spans_list")
    def get(self, request, **kwargs):
        return self.list(request)
