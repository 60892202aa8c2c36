"""Replay sessions (the search index), their stored batches, compacted segments, and what the
index keeps about each session (trace ids of its requests, notable moments on its timeline).

Blobs live in ``storages["replay"]``; rows here say where. Every row carries its organization.
"""

from django.db import models
from django.db.models import Q

from apps.orgs.models import Organization

from .protocol import MARK_KINDS


class SamplingState(models.TextChoices):
    PENDING = "pending", "Pending"
    KEPT = "kept", "Kept"
    DROPPED = "dropped", "Dropped"


class RetentionClass(models.TextChoices):
    NORMAL = "normal", "Normal"
    ERROR = "error", "Has errors"
    TICKET = "ticket", "Linked to a ticket"


class DeviceType(models.TextChoices):
    DESKTOP = "desktop", "Desktop"
    MOBILE = "mobile", "Mobile"
    TABLET = "tablet", "Tablet"
    BOT = "bot", "Bot"
    OTHER = "other", "Other"


class Session(models.Model):
    """One recorded browser session, kept current as its batches arrive."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="replay_sessions"
    )
    session_id = models.CharField(max_length=64)
    previous_session_id = models.CharField(max_length=64, blank=True, default="")

    # identify(): the last user id wins, traits are merged.
    user_id = models.CharField(max_length=255, blank=True, default="")
    user_traits = models.JSONField(default=dict, blank=True)

    # Times come from the events' own timestamps (epoch ms), kept both as datetimes (for
    # filters) and as integers (for exact offsets into the recording).
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    start_ms = models.BigIntegerField()
    end_ms = models.BigIntegerField()
    duration_ms = models.BigIntegerField(default=0)
    active_ms = models.BigIntegerField(default=0)

    entry_url = models.TextField(blank=True, default="")
    urls = models.JSONField(default=list, blank=True, help_text="Distinct URLs, first visit first.")
    url_text = models.TextField(blank=True, default="", help_text="The URLs, one a line (search).")
    page_count = models.PositiveIntegerField(default=0)

    user_agent = models.TextField(blank=True, default="")
    browser = models.CharField(max_length=64, blank=True, default="")
    browser_version = models.CharField(max_length=32, blank=True, default="")
    os = models.CharField(max_length=64, blank=True, default="")
    os_version = models.CharField(max_length=32, blank=True, default="")
    device_type = models.CharField(
        max_length=10, choices=DeviceType.choices, blank=True, default=""
    )
    device = models.CharField(max_length=64, blank=True, default="")
    viewport_width = models.PositiveIntegerField(null=True, blank=True)
    viewport_height = models.PositiveIntegerField(null=True, blank=True)
    sdk = models.CharField(max_length=64, blank=True, default="")
    privacy_mode = models.CharField(max_length=20, blank=True, default="")

    click_count = models.PositiveIntegerField(default=0)
    rage_click_count = models.PositiveIntegerField(default=0)
    dead_click_count = models.PositiveIntegerField(default=0)
    console_error_count = models.PositiveIntegerField(default=0)
    uncaught_error_count = models.PositiveIntegerField(default=0)
    failed_request_count = models.PositiveIntegerField(default=0)
    # console errors + uncaught errors + failed requests: "has errors" and "sort by errors".
    error_count = models.PositiveIntegerField(default=0)
    error_text = models.TextField(
        blank=True, default="", help_text="Error messages, one a line (search)."
    )

    # Written by the detectors (apps/insights) through ``session_findings_apply``: the kinds of
    # the session's findings (" double_submit slow_page ", for the finding filter) and their
    # sentences and messages (searched with the errors: a vanished toast's text is findable).
    finding_kinds = models.CharField(max_length=200, blank=True, default="")
    finding_text = models.TextField(blank=True, default="")

    event_count = models.PositiveIntegerField(default=0)
    batch_count = models.PositiveIntegerField(default=0)
    bytes_stored = models.BigIntegerField(default=0, help_text="Compressed bytes of the blobs.")
    raw_bytes = models.BigIntegerField(default=0, help_text="Uncompressed bytes of the events.")
    mark_count = models.PositiveIntegerField(default=0)

    # Filled in by the sampling and retention workers.
    sampling_state = models.CharField(
        max_length=10, choices=SamplingState.choices, default=SamplingState.PENDING
    )
    sampling_reason = models.TextField(blank=True, default="")
    sampling_decided_at = models.DateTimeField(null=True, blank=True)
    retention_class = models.CharField(
        max_length=10, choices=RetentionClass.choices, default=RetentionClass.NORMAL
    )
    expires_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "session_id"], name="replay_session_uniq_org_sid"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "started_at"], name="replay_sess_org_started"),
            models.Index(fields=["organization", "user_id"], name="replay_sess_org_user"),
            models.Index(fields=["organization", "duration_ms"], name="replay_sess_org_duration"),
            models.Index(fields=["organization", "error_count"], name="replay_sess_org_errors"),
            # The insights sweep (apps/insights/tasks.py) reads recently updated sessions of
            # every organization, oldest first: a range on updated_at alone.
            models.Index(fields=["updated_at"], name="replay_sess_updated"),
        ]

    def __str__(self) -> str:
        return self.session_id

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


class Segment(models.Model):
    """Several batches of one session merged into one blob by compaction."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="segments")
    key = models.CharField(max_length=255, unique=True)
    # A segment holds batches of one window (browser tab) of the session: seqs count per window.
    window_id = models.CharField(max_length=64, blank=True, default="")
    first_seq = models.PositiveIntegerField()
    last_seq = models.PositiveIntegerField()
    batch_count = models.PositiveIntegerField()
    event_count = models.PositiveIntegerField()
    first_ms = models.BigIntegerField(null=True)
    last_ms = models.BigIntegerField(null=True)
    bytes = models.BigIntegerField()
    raw_bytes = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Batch(models.Model):
    """One acknowledged batch. The row outlives its blob: after compaction ``segment`` says
    where its events are, and (session, window_id, seq) stays unique so a late retry is still a
    duplicate. A session spans the tabs of one origin: each tab (window) numbers its own
    batches from 0, so two tabs' batch 0 are two batches; ``window_id`` is "" for recorders
    that send none (one window per session).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="batches")
    window_id = models.CharField(max_length=64, blank=True, default="")
    seq = models.PositiveIntegerField()
    key = models.CharField(max_length=255)
    segment = models.ForeignKey(
        Segment, on_delete=models.RESTRICT, null=True, blank=True, related_name="batches"
    )
    event_count = models.PositiveIntegerField()
    first_ms = models.BigIntegerField(null=True)
    last_ms = models.BigIntegerField(null=True)
    bytes = models.PositiveIntegerField()
    raw_bytes = models.PositiveIntegerField()
    has_full_snapshot = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "window_id", "seq"], name="replay_batch_uniq_window_seq"
            )
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(segment__isnull=True),
                name="replay_batch_uncompacted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.window_id}#{self.seq}"


class SessionTrace(models.Model):
    """A trace id carried by one of the session's requests, and when it was first seen."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="traces")
    trace_id = models.CharField(max_length=32)
    ts_ms = models.BigIntegerField(help_text="Epoch ms of the first request with this trace.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "trace_id"], name="replay_trace_uniq")
        ]
        indexes = [models.Index(fields=["organization", "trace_id"], name="replay_trace_org_tid")]

    def __str__(self) -> str:
        return self.trace_id


# Built from the recorder protocol schema, which the player reads too.
MarkKind = models.TextChoices(
    "MarkKind", [(value.upper(), (value, label)) for value, label in MARK_KINDS]
)


class TimelineMark(models.Model):
    """A notable moment of a session (for the timeline summary without reading the blobs)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="marks")
    ts_ms = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=MarkKind.choices)
    label = models.CharField(max_length=500, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["session", "ts_ms"], name="replay_mark_session_ts")]

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"
