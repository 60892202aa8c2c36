"""Reads of organizations, members, invitations and keys. Every query is scoped in itself."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import Invitation, Membership, Organization, SecretKey


def organizations_for_user(*, user: AbstractBaseUser) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).order_by("name")


def membership_for(*, organization: Organization, user: AbstractBaseUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(organization=organization, user=user)
        .first()
    )


def membership_by_slug(*, slug: str, user: AbstractBaseUser) -> Membership | None:
    """The user's membership in the organization with this slug; None for outsiders."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(organization__slug=slug, user=user)
        .first()
    )


def organization_by_public_id(*, public_id: str) -> Organization | None:
    return Organization.objects.filter(public_id=public_id).first()


def members_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("created_at", "id")
    )


def member_get(*, organization: Organization, membership_id: int) -> Membership:
    return Membership.objects.select_related("user").get(
        pk=membership_id, organization=organization
    )


def invitations_pending(*, organization: Organization) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def keys_list(*, organization: Organization, kind: str | None = None) -> QuerySet[SecretKey]:
    qs = SecretKey.objects.filter(organization=organization).order_by("-created_at", "-id")
    return qs.filter(kind=kind) if kind else qs


def key_get(*, organization: Organization, key_id: int) -> SecretKey:
    return SecretKey.objects.get(pk=key_id, organization=organization)
