"""``/api/v1/alert-rules`` (admins write, everyone in the organization reads; ``test`` sends a
sample now) and ``/api/v1/alert-deliveries`` (the delivery log)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.errors import NotFound
from apps.orgs.api.base import OrganizationViewSet, object_by_pk
from apps.orgs.models import Role

from .. import selectors, services
from ..models import DeliveryReason, DeliveryStatus
from . import serializers as s


def _valid(serializer_class, data, *, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class AlertRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    OrganizationViewSet,
):
    """Alert rules: when a new insight appears or one passes N sessions in an hour, send a
    signed webhook or an e-mail."""

    serializer_class = s.AlertRuleSerializer
    filter_backends: list = []
    write_role = Role.ADMIN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_org_queryset(self, organization):
        return selectors.rules_list(organization=organization).order_by("-id")

    def get_object(self):
        try:
            return selectors.rule_get(organization=self.organization, rule_id=self.kwargs["pk"])
        except NotFound as exc:
            raise exceptions.NotFound(exc.message) from None

    @extend_schema(
        summary="Create a rule (the response carries its webhook secret, once)",
        request=s.AlertRuleWriteSerializer,
        responses={201: s.AlertRuleCreatedSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.AlertRuleWriteSerializer, request.data)
        rule = services.rule_create(organization=self.organization, **data)
        return Response(s.AlertRuleCreatedSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a rule", request=s.AlertRuleWriteSerializer, responses=s.AlertRuleSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        data = _valid(s.AlertRuleWriteSerializer, request.data, partial=True)
        rule = services.rule_update(organization=self.organization, rule=self.get_object(), **data)
        return Response(s.AlertRuleSerializer(rule).data)

    def perform_destroy(self, instance):
        services.rule_delete(organization=self.organization, rule=instance)

    @extend_schema(
        summary="Send a sample alert through the rule's channel now (logged as a delivery)",
        request=None,
        responses=s.AlertDeliverySerializer,
    )
    @action(detail=True, methods=["post"])
    def test(self, request, *args, **kwargs):
        delivery = services.rule_send_test(organization=self.organization, rule=self.get_object())
        return Response(s.AlertDeliverySerializer(delivery).data)

    @extend_schema(
        summary="Replace the rule's webhook signing secret (the response carries the new one)",
        request=None,
        responses=s.AlertRuleCreatedSerializer,
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, *args, **kwargs):
        rule = services.rule_rotate_secret(organization=self.organization, rule=self.get_object())
        return Response(s.AlertRuleCreatedSerializer(rule).data)


class AlertDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """The delivery log: every alert sent or tried, with its attempts and the last error."""

    serializer_class = s.AlertDeliverySerializer
    filter_backends: list = []

    def get_org_queryset(self, organization):
        params = self.request.query_params
        rule = None
        if params.get("rule_id"):
            try:
                rule = selectors.rule_get(organization=organization, rule_id=params["rule_id"])
            except NotFound:
                raise exceptions.ValidationError({"rule_id": ["No such alert rule."]}) from None
        state = params.get("status") or None
        if state and state not in DeliveryStatus.values:
            raise exceptions.ValidationError(
                {"status": [f"One of {', '.join(DeliveryStatus.values)}."]}
            )
        reason = params.get("reason") or None
        if reason and reason not in DeliveryReason.values:
            raise exceptions.ValidationError(
                {"reason": [f"One of {', '.join(DeliveryReason.values)}."]}
            )
        return selectors.deliveries_search(
            organization=organization, rule=rule, status=state, reason=reason
        ).order_by("-id")

    def get_object(self):
        return object_by_pk(
            selectors.deliveries_search(organization=self.organization),
            self.kwargs["pk"],
            missing="No such delivery.",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("rule_id", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(DeliveryStatus.values)),
            OpenApiParameter("reason", OpenApiTypes.STR, enum=list(DeliveryReason.values)),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
