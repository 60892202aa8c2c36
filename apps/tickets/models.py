"""Support tickets from helpdesks, their status history, and their links to replay sessions and
backend traces; plus the helpdesk integrations that send them through signed webhooks.

Every row carries its organization. A ticket is unique per (organization, source, external id),
which is what makes helpdesk upserts idempotent.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.orgs.models import Organization
from apps.replay.models import Session

DEFAULT_LINK_WINDOW_HOURS = 24
MAX_LINK_WINDOW_HOURS = 24 * 30


class TicketSource(models.TextChoices):
    ZENDESK = "zendesk", "Zendesk"
    JIRA = "jira", "Jira"
    INTERCOM = "intercom", "Intercom"
    FRESHDESK = "freshdesk", "Freshdesk"
    LINEAR = "linear", "Linear"
    GITHUB = "github", "GitHub"
    GENERIC = "generic", "Other"


class TicketStatus(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


# "Open" for retention and automatic linking: the helpdesk still works on it.
OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.PENDING)
CLOSED_STATUSES = (TicketStatus.SOLVED, TicketStatus.CLOSED)


class LinkHow(models.TextChoices):
    MANUAL = "manual", "Manual"
    API = "api", "API"
    AUTOMATIC = "automatic", "Automatic"


class ChangeSource(models.TextChoices):
    DASHBOARD = "dashboard", "Dashboard"
    API = "api", "API"
    WEBHOOK = "webhook", "Webhook"


class Ticket(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tickets")
    source = models.CharField(max_length=16, choices=TicketSource.choices)
    external_id = models.CharField(max_length=255)
    url = models.URLField(max_length=2048, blank=True, default="")
    subject = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    reporter_user_id = models.CharField(max_length=255, blank=True, default="")
    reporter_email = models.EmailField(max_length=254, blank=True, default="")
    # The helpdesk's own times; ``closed_at`` is set when the ticket becomes solved or closed
    # and cleared when it is reopened (retention counts from it).
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Hours before ``created_at`` in which the reporter's sessions are linked automatically.
    link_window_hours = models.PositiveIntegerField(default=DEFAULT_LINK_WINDOW_HOURS)
    integration = models.ForeignKey(
        "HelpdeskIntegration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "external_id"], name="ticket_uniq_external"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "created_at"], name="ticket_org_created"),
            models.Index(
                fields=["organization", "reporter_user_id"],
                name="ticket_org_reporter_uid",
                condition=~Q(reporter_user_id=""),
            ),
            models.Index(
                fields=["organization", "reporter_email"],
                name="ticket_org_reporter_email",
                condition=~Q(reporter_email=""),
            ),
            models.Index(fields=["organization", "status"], name="ticket_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.external_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_reporter(self) -> bool:
        return bool(self.reporter_user_id or self.reporter_email)


class TicketStatusChange(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=TicketStatus.choices)
    changed_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=ChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["ticket", "changed_at"], name="ticket_change_ticket_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class TicketSessionLink(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="session_links")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ticket_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    how = models.CharField(max_length=10, choices=LinkHow.choices)
    reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "session"], name="ticket_session_uniq")
        ]
        indexes = [models.Index(fields=["organization", "session"], name="ticket_link_org_session")]

    def __str__(self) -> str:
        return f"{self.ticket_id} ↔ session {self.session_id}"


class TicketTraceLink(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="trace_links")
    trace_id = models.CharField(max_length=32)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    how = models.CharField(max_length=10, choices=LinkHow.choices)
    reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "trace_id"], name="ticket_trace_uniq")
        ]
        indexes = [models.Index(fields=["organization", "trace_id"], name="ticket_trace_org_tid")]

    def __str__(self) -> str:
        return f"{self.ticket_id} ↔ trace {self.trace_id}"


class IntegrationKind(models.TextChoices):
    GENERIC = "generic", "Generic (Qorrelate format)"
    ZENDESK = "zendesk", "Zendesk"
    JIRA = "jira", "Jira"


def new_integration_public_id() -> str:
    return "hd_" + secrets.token_hex(12)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(32)


class HelpdeskIntegration(models.Model):
    """A helpdesk that sends signed webhooks. The secret must be kept (not hashed) to compute
    HMACs; it is shown once when created or rotated and never displayed again."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="helpdesk_integrations"
    )
    kind = models.CharField(max_length=10, choices=IntegrationKind.choices)
    name = models.CharField(max_length=100)
    public_id = models.CharField(
        max_length=40, unique=True, default=new_integration_public_id, editable=False
    )
    secret = models.CharField(max_length=200)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    link_window_hours = models.PositiveIntegerField(default=DEFAULT_LINK_WINDOW_HOURS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def secret_hint(self) -> str:
        return f"…{self.secret[-4:]}" if self.secret else ""


class TicketSettings(models.Model):
    """Per-organization defaults for tickets created through the API or the dashboard."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="ticket_settings"
    )
    link_window_hours = models.PositiveIntegerField(default=DEFAULT_LINK_WINDOW_HOURS)

    def __str__(self) -> str:
        return f"ticket settings of {self.organization_id}"
