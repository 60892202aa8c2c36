"""What the lifecycle workers decide and remember: sampling rules and decisions, retention
policies, deletions in progress and the deletion log. Every row carries its organization."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.orgs.models import Organization
from apps.replay.models import Session

from . import defaults

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class SamplingPolicy(models.Model):
    """The organization's sampling settings besides its rules (one row, created on demand)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sampling_policy"
    )
    normal_rate = models.FloatField(default=defaults.NORMAL_RATE, validators=PERCENT)
    idle_minutes = models.PositiveIntegerField(
        default=defaults.IDLE_MINUTES, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    min_duration_ms = models.PositiveIntegerField(default=0)
    drop_grace_minutes = models.PositiveIntegerField(
        default=defaults.DROP_GRACE_MINUTES, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sampling of {self.organization_id}"


class RuleKind(models.TextChoices):
    FRONTEND_ERROR = "frontend_error", "Frontend error"
    BACKEND_ERROR = "backend_error", "Correlated backend error"
    TICKET = "ticket", "Linked to a support ticket"
    FINDING = "finding", "Insights finding"
    SEGMENT = "segment", "Segment"


class SamplingRule(models.Model):
    """One ordered rule. The first rule that matches a session decides it, at its rate."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="sampling_rules"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    name = models.CharField(max_length=120, blank=True, default="")
    enabled = models.BooleanField(default=True)
    rate = models.FloatField(default=100.0, validators=PERCENT)
    # Segment conditions (all given ones must match).
    user_ids = models.JSONField(default=list, blank=True)
    user_pattern = models.CharField(max_length=200, blank=True, default="")
    url_pattern = models.CharField(max_length=500, blank=True, default="")
    event_name = models.CharField(max_length=200, blank=True, default="")
    identified_only = models.BooleanField(default=False)
    # Finding rules: the finding kinds that keep a session (apps/insights), e.g. "invisible_error",
    # or "double_submit+backend_error" for a double submit whose backend trace errored.
    finding_kinds = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "position"], name="lc_rule_org_pos")]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @property
    def finding_kinds_text(self) -> str:
        """The finding kinds as a sentence: "a double submit with a backend error or an
        invisible error"."""
        from apps.insights.kinds import LABELS

        parts = []
        for wanted in self.finding_kinds or []:
            kind, _, qualifier = wanted.partition("+")
            label = LABELS.get(kind, kind).lower()
            text = ("an " if label[:1] in "aeiou" else "a ") + label
            parts.append(text + (" with a backend error" if qualifier else ""))
        if len(parts) > 1:
            return ", ".join(parts[:-1]) + " or " + parts[-1]
        return parts[0] if parts else ""


class DecisionState(models.TextChoices):
    KEPT = "kept", "Kept"
    DROPPED = "dropped", "Dropped"


class ReasonCode(models.TextChoices):
    FRONTEND_ERROR = "frontend_error", "Frontend error"
    BACKEND_ERROR = "backend_error", "Correlated backend error"
    TICKET = "ticket", "Linked to a support ticket"
    TICKET_LATE = "ticket_late", "Linked to a ticket after the decision"
    FINDING = "finding", "Finding in the session"
    SEGMENT = "segment", "Segment rule"
    MIN_DURATION = "min_duration", "Shorter than the minimum duration"
    NORMAL_RATE = "normal_rate", "Normal sampling rate"


class SessionDecision(models.Model):
    """The sampling decision of one session. A dropped session keeps its index row (the
    tombstone) with this reason; its blobs are purged once ``purge_after`` has passed unless a
    ticket link rescues it first."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="decision")
    state = models.CharField(max_length=10, choices=DecisionState.choices)
    reason = models.CharField(max_length=20, choices=ReasonCode.choices)
    rule = models.ForeignKey(SamplingRule, on_delete=models.SET_NULL, null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True, default="")
    has_frontend_error = models.BooleanField(default=False)
    has_backend_error = models.BooleanField(default=False)
    decided_at = models.DateTimeField()
    purge_after = models.DateTimeField(null=True, blank=True)
    purge_started_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    blobs_purged = models.PositiveIntegerField(default=0)
    bytes_purged = models.BigIntegerField(default=0)
    rescued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "state", "decided_at"], name="lc_dec_org_state"),
            models.Index(
                fields=["purge_after"],
                condition=models.Q(state="dropped", purged_at__isnull=True),
                name="lc_dec_purge_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} ({self.reason})"


class RetentionPolicy(models.Model):
    """Days each kind of session is kept, clamped into the plan's bounds when applied."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="retention_policy"
    )
    normal_days = models.PositiveIntegerField(default=defaults.NORMAL_DAYS)
    error_days = models.PositiveIntegerField(default=defaults.ERROR_DAYS)
    ticket_grace_days = models.PositiveIntegerField(default=defaults.TICKET_GRACE_DAYS)
    telemetry_days = models.PositiveIntegerField(default=defaults.TELEMETRY_DAYS)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"retention of {self.organization_id}"


class SessionDeletion(models.Model):
    """A session retention has committed to delete (mark, then delete blobs, then rows).

    The marker outlives a killed worker, so the next run finishes the job before anything else
    and no index row is ever left pointing at a deleted blob without a marker saying so.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session_pk = models.BigIntegerField()
    session_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=200)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "session_pk"], name="lc_del_uniq")
        ]

    def __str__(self) -> str:
        return f"deleting {self.session_id}"


class DeletionKind(models.TextChoices):
    SESSIONS = "sessions", "Expired sessions"
    TELEMETRY = "telemetry", "Old spans and logs"
    ORPHANS = "orphans", "Orphaned blobs"
    SAMPLING = "sampling", "Dropped by sampling"


class DeletionLog(models.Model):
    """What one unit of deletion work removed, and why (one row per bounded batch)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DeletionKind.choices)
    reason = models.CharField(max_length=300, blank=True, default="")
    sessions = models.PositiveIntegerField(default=0)
    blobs = models.PositiveIntegerField(default=0)
    bytes = models.BigIntegerField(default=0)
    spans = models.PositiveIntegerField(default=0)
    logs = models.PositiveIntegerField(default=0)
    session_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"], name="lc_dellog_org")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class WorkerCounter(models.Model):
    """Per organization and day, how much each lifecycle worker did (for the pages and ops)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    name = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "day", "name"], name="lc_counter_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
