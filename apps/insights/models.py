"""Findings (what the detectors found in one session) and insights (findings grouped by kind,
page and element across sessions, with a status a team works through)."""

from django.db import models
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Session

from .kinds import CHOICES


class Severity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class InsightStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Insight(models.Model):
    """One problem: every finding of one kind on one page and element."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=CHOICES)
    fingerprint = models.CharField(max_length=40)
    page = models.CharField(max_length=300, help_text="The page's path, ids replaced by :id.")
    element_selector = models.CharField(max_length=300, blank=True, default="")
    element_text = models.CharField(max_length=200, blank=True, default="")
    title = models.TextField(help_text="The sentence of the latest finding.")
    severity = models.SmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(
        max_length=12, choices=InsightStatus.choices, default=InsightStatus.NEW
    )
    regressed = models.BooleanField(default=False, help_text="Seen again after it was resolved.")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    regressed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last seen again after it was resolved."
    )
    escalated_at = models.DateTimeField(
        null=True, blank=True, help_text="When its severity last rose."
    )
    session_count = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fingerprint"], name="insight_uniq_org_fingerprint"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "last_seen_at"], name="insight_org_last_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.page} {self.element_selector}"

    # Alerts (apps/alerts, above this app: it cannot be called from here) report an insight
    # that regressed or got worse. The moment each happened is stamped on the row when a save
    # makes it happen, whatever code path saves it, and the alerts' minute check reads it.
    def save(self, *args, **kwargs):
        was_regressed, was_severity = getattr(self, "_as_stored", (None, None))
        stamped = []
        if self.regressed and was_regressed is False:
            self.regressed_at = timezone.now()
            stamped.append("regressed_at")
        if was_severity is not None and self.severity > was_severity:
            self.escalated_at = timezone.now()
            stamped.append("escalated_at")
        if stamped and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], *stamped]
        super().save(*args, **kwargs)
        self._as_stored = self._watched()

    @classmethod
    def from_db(cls, db, field_names, values):
        insight = super().from_db(db, field_names, values)
        insight._as_stored = insight._watched()
        return insight

    def _watched(self) -> tuple[bool | None, int | None]:
        """(regressed, severity) as they are in the database; None for a field not loaded."""
        deferred = self.get_deferred_fields()
        return (
            None if "regressed" in deferred else self.regressed,
            None if "severity" in deferred else self.severity,
        )


class Finding(models.Model):
    """One thing that went wrong at one moment of one session."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="findings")
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=CHOICES)
    severity = models.SmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    ts_ms = models.BigIntegerField(help_text="Epoch ms of the moment it started.")
    offset_ms = models.BigIntegerField(help_text="Milliseconds from the session's start.")
    duration_ms = models.BigIntegerField(default=0)
    url = models.TextField(blank=True, default="")
    element_selector = models.CharField(max_length=300, blank=True, default="")
    element_text = models.CharField(max_length=200, blank=True, default="")
    sentence = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    backend_error = models.BooleanField(
        default=False, help_text="A backend trace behind it errored."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["session", "ts_ms"], name="finding_session_ts"),
            models.Index(fields=["insight", "ts_ms"], name="finding_insight_ts"),
            models.Index(fields=["organization", "kind", "ts_ms"], name="finding_org_kind_ts"),
        ]

    def __str__(self) -> str:
        return self.sentence


class SessionScan(models.Model):
    """How far the detectors have read a session (they read it again when batches arrive)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="+")
    batch_count = models.PositiveIntegerField(default=0)
    ended = models.BooleanField(default=False)
    failed = models.BooleanField(default=False)
    # The findings the last pass stored, hashed: a pass that finds the same writes nothing more.
    digest = models.CharField(max_length=64, blank=True, default="")
    # The reading put away while the session is recorded, per window (detect/checkpoint.py):
    # each window's timeline and page mirror, and through which batch. Dropped once quiet.
    checkpoint = models.BinaryField(null=True, blank=True)
    scanned_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["scanned_at"],
                name="scan_checkpoint_age",
                condition=models.Q(checkpoint__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} scanned through batch {self.batch_count}"
