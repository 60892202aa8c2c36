"""Plans (data, seeded by a migration), subscriptions, daily usage rollups and invoices."""

from django.conf import settings
from django.db import models

from apps.orgs.models import Organization


class Metric(models.TextChoices):
    REPLAY_SESSIONS_STARTED = "replay_sessions_started", "Replay sessions started"
    REPLAY_SESSIONS_KEPT = "replay_sessions_kept", "Replay sessions kept after sampling"
    REPLAY_BYTES_STORED = "replay_bytes_stored", "Replay bytes stored"
    SPANS_ACCEPTED = "spans_accepted", "Spans accepted"
    LOG_RECORDS_ACCEPTED = "log_records_accepted", "Log records accepted"
    API_CALLS = "api_calls", "API calls"


class Plan(models.Model):
    """A price list entry. Quotas and limits left empty mean unlimited."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order from small to large.")
    is_self_service = models.BooleanField(
        default=True, help_text="Owners may pick it themselves (Enterprise is arranged by staff)."
    )
    price_cents = models.PositiveIntegerField(default=0, help_text="Monthly base price.")
    currency = models.CharField(max_length=3, default="usd")
    replay_sessions_quota = models.PositiveBigIntegerField(null=True, blank=True)
    telemetry_quota = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Spans plus log records a month."
    )
    member_limit = models.PositiveIntegerField(null=True, blank=True)
    hard_limit = models.BooleanField(
        default=False, help_text="Refuse new data at 100 % (Free); otherwise bill the overage."
    )
    session_overage_price = models.DecimalField(
        max_digits=16, decimal_places=10, default=0, help_text="Per replay session over quota."
    )
    telemetry_overage_price = models.DecimalField(
        max_digits=16, decimal_places=10, default=0, help_text="Per span or log record over quota."
    )
    normal_retention_min_days = models.PositiveSmallIntegerField(default=1)
    normal_retention_max_days = models.PositiveSmallIntegerField(default=14)
    error_retention_min_days = models.PositiveSmallIntegerField(default=1)
    error_retention_max_days = models.PositiveSmallIntegerField(default=14)
    ticket_grace_days = models.PositiveSmallIntegerField(
        default=7, help_text="Most days a session is kept after its linked ticket closes."
    )
    stripe_price_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paid(self) -> bool:
        return self.price_cents > 0


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"


class Subscription(models.Model):
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization} on {self.plan}"

    @property
    def current_period(self):
        from .periods import current_period

        return current_period()


class ChangeSource(models.TextChoices):
    OWNER = "owner", "Owner (self-service)"
    STAFF = "staff", "Staff (admin)"
    STRIPE = "stripe", "Stripe"
    SYSTEM = "system", "System"


class SubscriptionChange(models.Model):
    """The plan history: which plan applied when (invoices bill the plan at the period's end)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="subscription_changes"
    )
    from_plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=ChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.from_plan} → {self.to_plan}"


class DailyUsage(models.Model):
    """One metric of one organization on one UTC day; written only by upserts that add."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="daily_usage"
    )
    day = models.DateField()
    metric = models.CharField(max_length=32, choices=Metric.choices)
    quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "metric"], name="uniq_daily_usage"
            )
        ]
        verbose_name_plural = "daily usage"

    def __str__(self) -> str:
        return f"{self.organization} {self.day} {self.metric}={self.quantity}"


class UsageFlush(models.Model):
    """A Redis counter batch already added to the rollups; a retried flush finds it and skips."""

    flush_id = models.CharField(max_length=160, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.flush_id


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


class Invoice(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invoices"
    )
    number = models.CharField(max_length=40, unique=True)
    period_start = models.DateField()
    period_end = models.DateField(help_text="Exclusive: the first day after the period.")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    plan_name = models.CharField(max_length=60)
    status = models.CharField(
        max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    currency = models.CharField(max_length=3, default="usd")
    total_cents = models.BigIntegerField(default=0)
    issued_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_start"], name="uniq_invoice_period"
            )
        ]
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def last_day(self):
        from datetime import timedelta

        return self.period_end - timedelta(days=1)


class LineKind(models.TextChoices):
    BASE = "base", "Base price"
    SESSION_OVERAGE = "session_overage", "Replay session overage"
    TELEMETRY_OVERAGE = "telemetry_overage", "Span and log record overage"


class InvoiceLine(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    description = models.CharField(max_length=200)
    quantity = models.BigIntegerField()
    unit = models.CharField(max_length=20)
    unit_price = models.DecimalField(max_digits=16, decimal_places=10)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class StripeEvent(models.Model):
    """Stripe webhook events already handled (Stripe delivers at least once)."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
