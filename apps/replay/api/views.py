"""``/api/v1/sessions``: search, one session with its timeline, and its events (streamed)."""

from django.http import StreamingHttpResponse
from django.utils.text import compress_sequence
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action

from apps.orgs.api.base import OrganizationViewSet

from .. import selectors
from ..models import Session
from ..storage.keys import SESSION_ID_RE
from .filters import SessionFilter, SessionOrdering
from .serializers import SessionDetailSerializer, SessionSerializer

WINDOW_PARAMETERS = [
    OpenApiParameter(
        "start",
        OpenApiTypes.INT,
        description="Only events at or after this offset from the session start (ms).",
    ),
    OpenApiParameter("end", OpenApiTypes.INT, description="Only events before this offset (ms)."),
    OpenApiParameter(
        "snapshot",
        OpenApiTypes.BOOL,
        description="With start: begin at the last full DOM snapshot before start (and its "
        "meta event), so a player can seek to start without downloading what came before.",
    ),
    OpenApiParameter(
        "window",
        OpenApiTypes.STR,
        description="The window (browser tab) to read, one of the session's timeline.windows "
        '(window_id; "" for recorders that send none). Default: the session\'s first window. '
        "Each tab is its own page, so one window's events replay on their own.",
    ),
]


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Recorded sessions of the organization."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    filter_backends = [SessionOrdering, DjangoFilterBackend]
    lookup_field = "session_id"
    lookup_value_regex = "[^/]+"  # validated in get_object, so any bad id is a JSON 404

    def get_org_queryset(self, organization):
        return Session.objects.filter(organization=organization)

    def get_serializer_class(self):
        return SessionDetailSerializer if self.action == "retrieve" else SessionSerializer

    def get_object(self) -> Session:
        session_id = self.kwargs["session_id"]
        if not SESSION_ID_RE.match(session_id):
            raise exceptions.NotFound("No such session.")
        try:
            session = selectors.session_get(organization=self.organization, session_id=session_id)
        except Session.DoesNotExist:
            raise exceptions.NotFound("No such session.") from None
        session.organization = self.organization
        return session

    @extend_schema(summary="Search sessions")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A session: metadata, counts and a timeline summary")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="The session's rrweb events, in order, streamed as one JSON array",
        parameters=WINDOW_PARAMETERS,
        responses={
            200: OpenApiResponse(
                response={"type": "array", "items": {"type": "object"}},
                description="rrweb eventWithTime objects ({type, data, timestamp}).",
            )
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, *args, **kwargs):
        session = self.get_object()
        start = _offset(request, "start")
        end = _offset(request, "end")
        if start is not None and end is not None and end <= start:
            raise exceptions.ValidationError({"end": ["end must be greater than start."]})
        from_snapshot = request.query_params.get("snapshot", "").lower() in ("1", "true")
        # One window (tab) of the session at a time: each is its own page to replay.
        asked = request.query_params.get("window")
        window_id = selectors.session_window_or_first(
            organization=self.organization, session=session, window_id=asked
        )
        if asked is not None and window_id is None:
            raise exceptions.NotFound("The session has no such window.")
        chunks = json_array(
            selectors.session_event_chunks(
                organization=self.organization,
                session=session,
                start_ms=start,
                end_ms=end,
                from_snapshot=from_snapshot,
                window_id=window_id if window_id is not None else "",
            )
        )
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = StreamingHttpResponse(
                compress_sequence(chunks), content_type="application/json"
            )
            response["Content-Encoding"] = "gzip"
        else:
            response = StreamingHttpResponse(chunks, content_type="application/json")
        response["Vary"] = "Accept-Encoding"
        response["Cache-Control"] = "private, no-store"
        return response


def _offset(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise exceptions.ValidationError({name: ["Give milliseconds as an integer."]}) from None
    if number < 0:
        raise exceptions.ValidationError({name: ["Must be 0 or more."]})
    return number


def json_array(chunks):
    """``[`` + the events joined by commas + ``]``; the bracket goes out with the first events,
    so the first byte on the wire means the first events are ready."""
    opened = False
    for chunk in chunks:
        if not chunk:
            continue
        body = b",".join(chunk)
        yield (b"," if opened else b"[") + body
        opened = True
    yield b"]" if opened else b"[]"
