"""``/api/v1/insights`` (the grouped problems, their status) and ``/api/v1/findings`` (what
the detectors found in each session)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins
from rest_framework.response import Response

from apps.core.errors import NotFound
from apps.orgs.api.base import OrganizationViewSet, object_by_pk
from apps.orgs.models import Role

from .. import selectors, services
from ..kinds import FINDING_KINDS
from ..models import InsightStatus
from . import serializers as s

KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=list(FINDING_KINDS))


def _kind(value: str | None) -> str | None:
    if value and value not in FINDING_KINDS:
        raise exceptions.ValidationError({"kind": [f"One of {', '.join(FINDING_KINDS)}."]})
    return value or None


class InsightViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    """Problems found in sessions, grouped by kind, page and element."""

    serializer_class = s.InsightSerializer
    filter_backends: list = []
    write_role = Role.MEMBER
    http_method_names = ["get", "patch", "head", "options"]

    def get_org_queryset(self, organization):
        status = self.request.query_params.get("status") or None
        if status and status not in InsightStatus.values:
            raise exceptions.ValidationError(
                {"status": [f"One of {', '.join(InsightStatus.values)}."]}
            )
        return selectors.insights_search(
            organization=organization,
            kind=_kind(self.request.query_params.get("kind")),
            status=status,
        )

    def get_object(self):
        try:
            return selectors.insight_get(
                organization=self.organization, insight_id=self.kwargs["pk"]
            )
        except NotFound as exc:
            raise exceptions.NotFound(exc.message) from None

    @extend_schema(
        parameters=[
            KIND,
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(InsightStatus.values)),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.InsightStatusSerializer, responses=s.InsightSerializer)
    def partial_update(self, request, *args, **kwargs):
        body = s.InsightStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        insight = services.insight_set_status(
            organization=self.organization,
            insight=self.get_object(),
            status=body.validated_data["status"],
        )
        return Response(s.InsightSerializer(insight).data)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """What the detectors found in sessions: one moment each, with evidence and a sentence."""

    serializer_class = s.SessionFindingSerializer
    filter_backends: list = []

    def get_org_queryset(self, organization):
        params = self.request.query_params
        insight = None
        if params.get("insight_id"):
            try:
                insight = selectors.insight_get(
                    organization=organization, insight_id=params["insight_id"]
                )
            except NotFound:
                raise exceptions.ValidationError({"insight_id": ["No such insight."]}) from None
        return selectors.findings_search(
            organization=organization,
            session_id=params.get("session_id") or None,
            kind=_kind(params.get("kind")),
            insight=insight,
        )

    def get_object(self):
        return object_by_pk(
            selectors.findings_search(organization=self.organization),
            self.kwargs["pk"],
            missing="No such finding.",
        )

    @extend_schema(
        parameters=[
            KIND,
            OpenApiParameter("session_id", OpenApiTypes.STR),
            OpenApiParameter("insight_id", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
