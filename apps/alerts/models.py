"""Alert rules (when to tell someone about insights, and where) and their deliveries (one
message to one channel, with its attempts: the delivery log)."""

from django.db import models

from apps.insights.models import Insight, Severity
from apps.orgs.models import Organization


class RuleKind(models.TextChoices):
    NEW_INSIGHT = "new_insight", "A new insight appears, returns or gets worse"
    THRESHOLD = "threshold", "An insight passes N sessions in an hour"


class Channel(models.TextChoices):
    WEBHOOK = "webhook", "Signed webhook"
    EMAIL = "email", "E-mail"


class AlertRule(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    finding_kinds = models.JSONField(
        default=list, blank=True, help_text="Finding kinds this rule watches; empty: all."
    )
    min_severity = models.SmallIntegerField(choices=Severity.choices, default=Severity.LOW)
    threshold_sessions = models.PositiveIntegerField(
        null=True, blank=True, help_text="Threshold rules: sessions affected in the last hour."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    webhook_url = models.URLField(max_length=500, blank=True, default="")
    # The receiver needs the same secret to check signatures, so it is stored as is (like the
    # helpdesk integrations' secrets); pages and the API show it once, when the rule is made.
    secret = models.CharField(max_length=64, blank=True, default="")
    emails = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    checked_at = models.DateTimeField(help_text="New insights after this were looked at.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "enabled"], name="alertrule_org_enabled")]

    def __str__(self) -> str:
        return self.name

    @property
    def target(self) -> str:
        return self.webhook_url if self.channel == Channel.WEBHOOK else ", ".join(self.emails)


class DeliveryReason(models.TextChoices):
    NEW_INSIGHT = "new_insight", "New insight"
    REGRESSION = "regression", "Regression"
    ESCALATION = "escalation", "Severity raised"
    THRESHOLD = "threshold", "Threshold passed"
    TEST = "test", "Test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class AlertDelivery(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="deliveries")
    insight = models.ForeignKey(
        Insight, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=DeliveryReason.choices)
    # What makes a delivery unique for its rule ("new:<insight>", "regressed:<insight>:<when>",
    # "escalated:<insight>:<severity>", "threshold:<insight>:<time>", "test:<uuid>"):
    # evaluating twice finds the row instead of making a second one.
    dedupe_key = models.CharField(max_length=120)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "dedupe_key"], name="alertdelivery_uniq_key")
        ]
        indexes = [
            models.Index(fields=["organization", "created_at"], name="alertdelivery_org_created"),
            models.Index(fields=["status", "next_attempt_at"], name="alertdelivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} via {self.channel}: {self.status}"
