from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from apps.core.public_url import public_base_url

from .. import selectors, services
from ..models import Role
from .base import OrganizationAPIView, OrganizationViewSet
from .serializers import (
    CreatedKeySerializer,
    InvitationSerializer,
    KeySerializer,
    MemberRoleSerializer,
    MemberSerializer,
    OrganizationSerializer,
)


class CurrentOrganizationView(OrganizationAPIView):
    """The organization of this API key (or of the signed-in user)."""

    write_role = Role.ADMIN

    @extend_schema(responses=OrganizationSerializer)
    def get(self, request, **kwargs):
        return Response(OrganizationSerializer(self.organization).data)

    @extend_schema(request=OrganizationSerializer, responses=OrganizationSerializer)
    def patch(self, request, **kwargs):
        serializer = OrganizationSerializer(self.organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_update(
            organization=self.organization, **serializer.validated_data
        )
        return Response(OrganizationSerializer(organization).data)


class MemberViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = MemberSerializer
    write_role = Role.ADMIN

    def get_org_queryset(self, organization):
        return selectors.members_list(organization=organization).order_by("-id")

    @extend_schema(request=MemberRoleSerializer, responses=MemberSerializer)
    def partial_update(self, request, pk=None, **kwargs):
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_set_role(
            organization=self.organization,
            membership_id=_int(pk),
            role=serializer.validated_data["role"],
            acting=_acting(self),
        )
        return Response(MemberSerializer(membership).data)

    def destroy(self, request, pk=None, **kwargs):
        services.membership_remove(
            organization=self.organization, membership_id=_int(pk), acting=_acting(self)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(mixins.ListModelMixin, OrganizationViewSet):
    serializer_class = InvitationSerializer
    write_role = Role.ADMIN

    def get_org_queryset(self, organization):
        return selectors.invitations_pending(organization=organization).order_by("-id")

    def create(self, request, **kwargs):
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            organization=self.organization,
            acting=_acting(self),
            base_url=public_base_url(request),
            **serializer.validated_data,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None, **kwargs):
        services.invitation_revoke(organization=self.organization, invitation_id=_int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeyViewSet(mixins.ListModelMixin, OrganizationViewSet):
    """API keys (REST, scope read or write) and ingest keys (OTLP). Secrets are shown once."""

    serializer_class = KeySerializer
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get_org_queryset(self, organization):
        return selectors.keys_list(organization=organization)

    @extend_schema(request=KeySerializer, responses={201: CreatedKeySerializer})
    def create(self, request, **kwargs):
        serializer = KeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created_by = request.user if getattr(request.user, "pk", None) else None
        key, raw = services.key_create(
            organization=self.organization, created_by=created_by, **serializer.validated_data
        )
        data = KeySerializer(key).data | {"secret": raw}
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None, **kwargs):
        services.key_revoke(organization=self.organization, key_id=_int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _acting(view):
    from ..models import Membership

    # API keys act with admin powers at most; they never act as an owner.
    return view.acting_membership() or Membership(role=Role.ADMIN)


def _int(value) -> int:
    from apps.core.errors import NotFound

    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound("Not found.") from exc
