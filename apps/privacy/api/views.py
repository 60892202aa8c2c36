"""``/api/v1/privacy/findings``, ``/api/v1/privacy/summary``, ``/api/v1/privacy/settings`` and
``/api/v1/privacy/audits`` (audit one session now)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from apps.core.sensitive import KINDS
from apps.orgs.api.base import OrganizationAPIView, OrganizationViewSet, object_by_pk
from apps.orgs.models import Role

from .. import selectors, services
from ..network_headers import ALWAYS_REDACTED_HEADERS, network_header_denylist_set
from . import serializers as s


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Sensitive data the masking audits found in stored recordings (never the value)."""

    serializer_class = s.FindingSerializer
    filter_backends: list = []

    def get_org_queryset(self, organization):
        kind = self.request.query_params.get("kind") or None
        if kind and kind not in KINDS:
            raise exceptions.ValidationError({"kind": [f"One of {', '.join(KINDS)}."]})
        return selectors.findings_search(
            organization=organization,
            kind=kind,
            session_id=self.request.query_params.get("session_id") or None,
        ).order_by("-id")

    def get_object(self):
        return object_by_pk(
            selectors.findings_search(organization=self.organization),
            self.kwargs["pk"],
            missing="No such finding.",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=KINDS),
            OpenApiParameter("session_id", OpenApiTypes.STR),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SummaryView(OrganizationAPIView):
    """Findings per kind and per day, sessions audited and bytes scanned."""

    @extend_schema(
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, description="1 to 90.")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, **kwargs):
        try:
            days = int(request.query_params.get("days") or 30)
        except ValueError:
            raise exceptions.ValidationError({"days": ["Give an integer."]}) from None
        if not 1 <= days <= 90:
            raise exceptions.ValidationError({"days": ["From 1 to 90."]})
        summary = selectors.privacy_summary(organization=self.organization, days=days)
        summary["daily"] = selectors.findings_daily(organization=self.organization, days=days)
        return Response(summary)


class SettingsView(OrganizationAPIView):
    write_role = Role.ADMIN

    @extend_schema(responses=s.PrivacySettingsSerializer)
    def get(self, request, **kwargs):
        settings = selectors.settings_for(organization=self.organization)
        return Response(s.PrivacySettingsSerializer(settings).data)

    @extend_schema(request=s.PrivacySettingsSerializer, responses=s.PrivacySettingsSerializer)
    def patch(self, request, **kwargs):
        serializer = s.PrivacySettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        settings = services.settings_update(
            organization=self.organization, **serializer.validated_data
        )
        return Response(s.PrivacySettingsSerializer(settings).data)

    put = patch


class AuditNowView(OrganizationAPIView):
    """Audit one session now (all its chunks), with auto-redact if it is on."""

    write_role = Role.ADMIN

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, **kwargs):
        session_id = request.data.get("session_id") if isinstance(request.data, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise exceptions.ValidationError({"session_id": ["Required."]})
        result = services.session_audit_now(organization=self.organization, session_id=session_id)
        return Response(
            {
                "chunks": result.chunks,
                "bytes_scanned": result.bytes_scanned,
                "findings": result.findings,
                "new_findings": result.new_findings,
                "redacted_chunks": result.redacted_chunks,
            },
            status=status.HTTP_200_OK,
        )


class NetworkHeadersView(OrganizationAPIView):
    """The organization's own network-header deny list (``headers``), beside the names always
    denied (``always``). The intake replaces their values with ``[redacted]`` before a batch
    is stored; the masking audit reports any it finds. Only owners change it."""

    write_role = Role.OWNER

    @extend_schema(responses=s.NetworkHeadersSerializer)
    def get(self, request, **kwargs):
        return Response(_network_headers(self.organization))

    @extend_schema(request=s.NetworkHeadersSerializer, responses=s.NetworkHeadersSerializer)
    def put(self, request, **kwargs):
        serializer = s.NetworkHeadersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = network_header_denylist_set(
            organization=self.organization, headers=serializer.validated_data["headers"]
        )
        return Response(_network_headers(organization))


def _network_headers(organization) -> dict:
    return {
        "always": list(ALWAYS_REDACTED_HEADERS),
        "headers": list(organization.network_header_denylist),
    }
