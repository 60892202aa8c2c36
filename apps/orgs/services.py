"""Writes for organizations, members, invitations and keys (keyword-only, organization first)."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from apps.core.errors import AuthenticationFailed, DomainError, NotFound, PermissionDenied

from . import grants, keys
from .models import (
    Invitation,
    KeyKind,
    KeyScope,
    Membership,
    Organization,
    PrivacyMode,
    Role,
    SecretKey,
)

logger = logging.getLogger(__name__)
User = get_user_model()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:48] or "org"
    slug = base
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


@transaction.atomic
def organization_create(*, name: str, owner) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError("An organization needs a name.", code="name_required")
    organization = Organization.objects.create(name=name, slug=_unique_slug(name))
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    logger.info("organization created", extra={"organization_id": organization.pk})
    return organization


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


EMAIL_TAKEN = "An account with this e-mail already exists."


@transaction.atomic
def user_create(*, email: str, password: str):
    """A new account for ``email`` (checked for strength and for an existing account, also one
    being created at the same moment)."""
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(EMAIL_TAKEN, code="email_taken")
    candidate = User(username=email, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password") from exc
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent sign-up with the same e-mail
        raise DomainError(EMAIL_TAKEN, code="email_taken") from exc
    return candidate


@transaction.atomic
def signup(*, email: str, password: str, organization_name: str):
    """Create a user, their organization, and make them its owner."""
    user = user_create(email=email, password=password)
    organization = organization_create(name=organization_name, owner=user)
    return user, organization


@transaction.atomic
def signup_from_invitation(*, token: str, email: str, password: str):
    """Create the invited person's account and accept the invitation with it, or neither.

    The account must be for the invited address."""
    invitation = invitation_lookup(token=token)
    if normalize_email(email) != invitation.email:
        raise DomainError(
            f"This invitation is for {invitation.email}. Sign up with that address, or ask for "
            "an invitation to yours.",
            code="invitation_email_mismatch",
            status=403,
        )
    try:
        user = user_create(email=email, password=password)
    except DomainError as exc:
        if exc.code == "email_taken":
            raise DomainError(
                f"{EMAIL_TAKEN} Log in to accept the invitation.", code="email_taken"
            ) from exc
        raise
    membership = invitation_accept(token=token, user=user)
    return user, membership


def organization_update(
    *,
    organization: Organization,
    name: str | None = None,
    allowed_origins: list[str] | None = None,
    privacy_mode: str | None = None,
) -> Organization:
    if name is not None:
        if not name.strip():
            raise DomainError("An organization needs a name.", code="name_required")
        organization.name = name.strip()
    if allowed_origins is not None:
        organization.allowed_origins = [normalize_origin(o) for o in allowed_origins if o.strip()]
    if privacy_mode is not None:
        if privacy_mode not in PrivacyMode.values:
            raise DomainError(f"Unknown privacy mode {privacy_mode!r}.", code="invalid_privacy")
        organization.privacy_mode = privacy_mode
    organization.save()
    return organization


def normalize_origin(origin: str) -> str:
    """``https://Shop.example.com/`` → ``https://shop.example.com`` (scheme://host[:port])."""
    from urllib.parse import urlsplit

    origin = origin.strip()
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise DomainError(
            f"{origin!r} is not an origin; write it as https://app.example.com",
            code="invalid_origin",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


# Invitations --------------------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, organization: Organization, email: str, role: str, acting: Membership, base_url: str
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its one-time link. Returns (invitation, raw token).

    ``acting`` is the inviter's membership (an unsaved admin one for an API key); ``base_url``
    the install's public address (``public_base_url(request)``) the link starts with."""
    grants.check_role_grant(acting_role=acting.role, role=role)
    invited_by = acting.user if acting.user_id else None
    email = normalize_email(email)
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise DomainError(f"{email} is already a member.", code="already_member")
    _check_member_limit(organization=organization)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(hours=settings.INVITATION_TTL_HOURS),
    )
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[token])
    send_mail(
        subject=f"You are invited to {organization.name} on Qorrelate",
        message=(
            f"{getattr(invited_by, 'email', 'Someone')} invited you to join {organization.name} "
            f"on Qorrelate as {role}.\n\nAccept the invitation: {link}\n\n"
            f"The link works once and expires in {settings.INVITATION_TTL_HOURS} hours."
        ),
        from_email=None,
        recipient_list=[email],
    )
    return invitation, token


def invitation_lookup(*, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_invalid")
    if invitation.accepted_at is not None:
        raise DomainError("This invitation was already used.", code="invitation_used", status=410)
    if invitation.revoked_at is not None:
        raise DomainError("This invitation was revoked.", code="invitation_revoked", status=410)
    if invitation.expires_at <= timezone.now():
        raise DomainError("This invitation has expired.", code="invitation_expired", status=410)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    invitation = invitation_lookup(token=token)
    # Lock the row so a link used twice at the same moment makes one membership.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError("This invitation was already used.", code="invitation_used", status=410)
    invitation_check_recipient(invitation=invitation, user=user)
    _check_sender_may_still_grant(invitation)
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_revoke(*, organization: Organization, invitation_id: int) -> None:
    updated = Invitation.objects.filter(
        pk=invitation_id, organization=organization, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise NotFound("No such invitation.")


def invitation_check_recipient(*, invitation: Invitation, user) -> None:
    """An invitation is for its address only: the link alone does not make a member."""
    if normalize_email(user.email or "") != invitation.email:
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}, but you are logged in as "
            f"{user.email}. Log in with the invited address, or ask for an invitation to yours.",
            code="invitation_email_mismatch",
        )


def _check_sender_may_still_grant(invitation: Invitation) -> None:
    # An invitation made by an API key carries admin powers at most, like the key itself.
    sender_role = Role.ADMIN
    if invitation.invited_by_id is not None:
        sender_role = (
            Membership.objects.filter(
                organization=invitation.organization_id, user=invitation.invited_by_id
            )
            .values_list("role", flat=True)
            .first()
        )
    try:
        grants.check_role_grant(acting_role=sender_role, role=invitation.role)
    except DomainError as exc:
        raise PermissionDenied(
            f"This invitation grants the {invitation.role} role, which its sender can no "
            "longer give. Ask an owner of the organization for a new invitation.",
            code="invitation_not_grantable",
        ) from exc


# Members ------------------------------------------------------------------------------------


def _check_member_limit(*, organization: Organization) -> None:
    from django.apps import apps

    # Billing sits above orgs; it registers the member limit through a hook instead of an import.
    hook = getattr(apps.get_app_config("orgs"), "member_limit_hook", None)
    if hook is not None:
        hook(organization=organization)


def _owners_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).count()


def membership_set_role(
    *, organization: Organization, membership_id: int, role: str, acting: Membership
) -> Membership:
    if role not in Role.values:
        raise DomainError(f"Unknown role {role!r}.", code="invalid_role")
    with transaction.atomic():
        try:
            membership = Membership.objects.select_for_update().get(
                pk=membership_id, organization=organization
            )
        except Membership.DoesNotExist as exc:
            raise NotFound("No such member.") from exc
        grants.check_role_grant(acting_role=acting.role, role=role, current_role=membership.role)
        if (
            membership.role == Role.OWNER
            and role != Role.OWNER
            and _owners_count(organization) == 1
        ):
            raise DomainError("An organization keeps at least one owner.", code="last_owner")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(
    *, organization: Organization, membership_id: int, acting: Membership
) -> None:
    with transaction.atomic():
        try:
            membership = Membership.objects.select_for_update().get(
                pk=membership_id, organization=organization
            )
        except Membership.DoesNotExist as exc:
            raise NotFound("No such member.") from exc
        grants.check_removal(acting_role=acting.role, current_role=membership.role)
        if membership.role == Role.OWNER and _owners_count(organization) == 1:
            raise DomainError("An organization keeps at least one owner.", code="last_owner")
        membership.delete()


# Keys ---------------------------------------------------------------------------------------


def key_create(
    *, organization: Organization, kind: str, name: str, scope: str = KeyScope.READ, created_by
) -> tuple[SecretKey, str]:
    """Create a key; the raw secret is returned once and never stored."""
    if kind not in KeyKind.values:
        raise DomainError(f"Unknown key kind {kind!r}.", code="invalid_kind")
    if scope not in KeyScope.values:
        raise DomainError(f"Unknown scope {scope!r}; use read or write.", code="invalid_scope")
    if kind == KeyKind.INGEST:
        scope = KeyScope.WRITE
    name = (name or "").strip() or f"{kind} key"
    prefix, raw, secret_hash = keys.generate(kind)
    key = SecretKey.objects.create(
        organization=organization,
        kind=kind,
        name=name[:100],
        prefix=prefix,
        secret_hash=secret_hash,
        scope=scope,
        created_by=created_by,
    )
    return key, raw


def key_revoke(*, organization: Organization, key_id: int) -> SecretKey:
    try:
        key = SecretKey.objects.get(pk=key_id, organization=organization)
    except SecretKey.DoesNotExist as exc:
        raise NotFound("No such key.") from exc
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def key_authenticate(*, raw: str, kind: str) -> SecretKey:
    """Return the active key for a raw secret, recording its use; raise AuthenticationFailed."""
    parts = keys.split(raw.strip())
    if parts is None:
        raise AuthenticationFailed("The key is malformed.", code="malformed_key")
    prefix, secret = parts
    key = SecretKey.objects.select_related("organization").filter(prefix=prefix, kind=kind).first()
    if key is None or not keys.matches(secret, key.secret_hash):
        raise AuthenticationFailed("The key is not valid.", code="invalid_key")
    if key.revoked_at is not None:
        raise AuthenticationFailed("The key was revoked.", code="revoked_key")
    _touch(key)
    return key


def _touch(key: SecretKey) -> None:
    # Record last use at a coarse resolution, so a busy key costs one UPDATE a minute, not one
    # per request.
    now = timezone.now()
    resolution = timedelta(seconds=settings.KEY_LAST_USED_RESOLUTION_SECONDS)
    if key.last_used_at is None or now - key.last_used_at >= resolution:
        SecretKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
