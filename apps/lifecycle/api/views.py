"""``/api/v1/sampling-rules``, ``/api/v1/sampling-policy``, ``/api/v1/sampling-decisions``
and ``/api/v1/retention/...``: thin views over the lifecycle services and selectors."""

from datetime import UTC, datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from apps.orgs.api.base import OrganizationAPIView, OrganizationViewSet
from apps.orgs.api.query import OFFSET_MESSAGE, offset_in_range
from apps.orgs.models import Role

from .. import selectors, services
from ..models import DecisionState, SessionDecision
from . import serializers as s


class SamplingRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    OrganizationViewSet,
):
    """The organization's sampling rules, in evaluation order (the first match decides)."""

    serializer_class = s.SamplingRuleSerializer
    write_role = Role.ADMIN
    pagination_class = None
    filter_backends: list = []

    def get_org_queryset(self, organization):
        selectors.sampling_policy(organization=organization)
        return selectors.rules_list_queryset(organization=organization)

    def get_object(self):
        return selectors.rule_get(organization=self.organization, rule_id=_pk(self.kwargs["pk"]))

    def create(self, request, **kwargs):
        serializer = s.SamplingRuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        position = data.pop("position", None)
        rule = services.rule_create(organization=self.organization, **data)
        if position is not None:
            rule = services.rule_update(
                organization=self.organization, rule_id=rule.pk, position=position
            )
        return Response(s.SamplingRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, **kwargs):
        rule = self.get_object()
        partial = request.method == "PATCH"
        serializer = s.SamplingRuleSerializer(rule, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        rule = services.rule_update(
            organization=self.organization, rule_id=rule.pk, **serializer.validated_data
        )
        return Response(s.SamplingRuleSerializer(rule).data)

    def partial_update(self, request, pk=None, **kwargs):
        return self.update(request, pk=pk, **kwargs)

    def destroy(self, request, pk=None, **kwargs):
        services.rule_delete(organization=self.organization, rule_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SamplingPolicyView(OrganizationAPIView):
    """The normal rate, idle time, minimum duration and drop grace period."""

    write_role = Role.ADMIN

    @extend_schema(responses=s.SamplingPolicySerializer)
    def get(self, request, **kwargs):
        policy = selectors.sampling_policy(organization=self.organization)
        return Response(s.SamplingPolicySerializer(policy).data)

    @extend_schema(request=s.SamplingPolicySerializer, responses=s.SamplingPolicySerializer)
    def patch(self, request, **kwargs):
        serializer = s.SamplingPolicySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        policy = services.sampling_policy_update(
            organization=self.organization, **serializer.validated_data
        )
        return Response(s.SamplingPolicySerializer(policy).data)

    put = patch


class SessionDecisionViewSet(mixins.ListModelMixin, OrganizationViewSet):
    """Why a session was kept or dropped ("why is there no replay for this user?")."""

    serializer_class = s.SessionDecisionSerializer
    lookup_field = "session_id"
    filter_backends: list = []

    def get_org_queryset(self, organization):
        state = self.request.query_params.get("state") or None
        if state and state not in DecisionState.values:
            raise exceptions.ValidationError({"state": ["Use kept or dropped."]})
        return selectors.decisions_search(
            organization=organization,
            state=state,
            user_id=self.request.query_params.get("user_id") or None,
        ).order_by("-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=DecisionState.values),
            OpenApiParameter("user_id", OpenApiTypes.STR),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, session_id=None, **kwargs):
        try:
            decision = selectors.decision_for_session(
                organization=self.organization, session_id=session_id
            )
        except SessionDecision.DoesNotExist:
            raise exceptions.NotFound("No decision for this session (yet).") from None
        return Response(s.SessionDecisionSerializer(decision).data)


class RetentionPolicyView(OrganizationAPIView):
    """The retention policy as saved, the policy in force and the plan's bounds."""

    write_role = Role.ADMIN

    def _body(self):
        settings = selectors.retention_settings(organization=self.organization)
        return {
            **settings.saved,
            "effective": settings.effective.as_dict(),
            "plan_bounds": settings.bounds,
            "clamped": settings.clamped,
        }

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, **kwargs):
        return Response(self._body())

    @extend_schema(request=s.RetentionPolicySerializer, responses=OpenApiTypes.OBJECT)
    def patch(self, request, **kwargs):
        serializer = s.RetentionPolicySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.retention_policy_update(
            organization=self.organization, **serializer.validated_data
        )
        return Response(self._body())

    put = patch


class RetentionPreviewView(OrganizationAPIView):
    """The dry run: what the next retention run would delete, and why. Deletes nothing."""

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATETIME, description="Default: now."),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Sessions listed (≤ 500)."),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, **kwargs):
        as_of = _datetime(request.query_params.get("as_of"))
        limit = _int(request.query_params.get("limit"), default=100)
        return Response(
            selectors.retention_preview(organization=self.organization, as_of=as_of, limit=limit)
        )


class DeletionLogViewSet(mixins.ListModelMixin, OrganizationViewSet):
    """What retention and sampling deleted, batch by batch, newest first."""

    serializer_class = s.DeletionLogSerializer
    filter_backends: list = []

    def get_org_queryset(self, organization):
        return selectors.deletion_log(organization=organization).order_by("-id")


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise exceptions.NotFound("No such sampling rule.") from None


def _int(value, *, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise exceptions.ValidationError({"limit": ["Give an integer."]}) from None
    if number < 0:
        raise exceptions.ValidationError({"limit": ["Must be 0 or more."]})
    return number


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.ValidationError({"as_of": ["Give an ISO 8601 date and time."]}) from None
    if not offset_in_range(parsed):
        raise exceptions.ValidationError({"as_of": [OFFSET_MESSAGE]})
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
