"""Masking audits: per-organization settings, what each audit scanned, and what it found.
A finding never holds the value it found: only its kind, where it was and a redacted excerpt."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.sensitive import LABELS
from apps.orgs.models import Organization
from apps.replay.models import Session


class PrivacySettings(models.Model):
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="privacy_settings"
    )
    audit_new_sessions = models.BooleanField(default=True)
    nightly_sample_percent = models.FloatField(
        default=5.0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    nightly_max_sessions = models.PositiveIntegerField(
        default=200, validators=[MaxValueValidator(10_000)]
    )
    auto_redact = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"privacy of {self.organization_id}"


class AuditScope(models.TextChoices):
    FIRST = "first", "First chunk of a new session"
    NIGHTLY = "nightly", "Nightly sample"
    MANUAL = "manual", "On request"


class SessionAudit(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10, choices=AuditScope.choices)
    chunks = models.PositiveIntegerField(default=0)
    bytes_scanned = models.BigIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)
    redacted = models.PositiveIntegerField(default=0)
    audited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(scope="first"),
                name="privacy_audit_first_once",
            )
        ]
        indexes = [models.Index(fields=["organization", "audited_at"], name="privacy_audit_org")]

    def __str__(self) -> str:
        return f"{self.scope} audit of {self.session_id}"


class Finding(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    # The finding outlives its session (retention), so the counts over time stay true.
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session_id_text = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=list(LABELS.items()))
    location = models.CharField(max_length=120)
    selector = models.CharField(max_length=500, blank=True, default="")
    offset_ms = models.BigIntegerField(default=0)
    excerpt = models.CharField(max_length=300, blank=True, default="")
    seq = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)
    redacted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fingerprint"], name="privacy_finding_uniq"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="privacy_finding_org"),
            models.Index(fields=["organization", "kind"], name="privacy_finding_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.session_id_text}"

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)


class AuditCounter(models.Model):
    """Per organization and day: sessions audited, bytes scanned, findings, redactions."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    name = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "name"], name="privacy_counter_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
