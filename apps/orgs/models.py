"""Tenants: organizations, their members and roles, invitations and secret keys."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_public_id() -> str:
    # The data-org-id is public (the browser sends it); it only needs to be unguessable enough
    # that organizations cannot be enumerated.
    return "org_" + secrets.token_hex(8)


class PrivacyMode(models.TextChoices):
    MASK_INPUTS = "mask-inputs", "Mask inputs (default)"
    MASK_ALL = "mask-all", "Mask all text and inputs"
    MASK_SENSITIVE = "mask-sensitive", "Mask sensitive inputs only"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def role_at_least(role: str, minimum: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


class Organization(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=64, unique=True)
    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    allowed_origins = models.JSONField(
        default=list, blank=True, help_text="Origins allowed to send recordings; empty means any."
    )
    privacy_mode = models.CharField(
        max_length=20, choices=PrivacyMode.choices, default=PrivacyMode.MASK_INPUTS
    )
    # Lower-case header names whose values network details never store, beside the protocol's
    # always-redacted ones (apps/privacy/network_headers.py enforces it at intake).
    network_header_denylist = models.JSONField(
        default=list, blank=True, help_text="Header names network details never store."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="uniq_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class KeyKind(models.TextChoices):
    API = "api", "API key"
    INGEST = "ingest", "Ingest key (OTLP)"


class KeyScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class SecretKey(models.Model):
    """An API or ingest key. Only a SHA-256 of the secret is stored; the prefix is visible."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="secret_keys"
    )
    kind = models.CharField(max_length=10, choices=KeyKind.choices)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=24, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=KeyScope.choices, default=KeyScope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "kind"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
