from rest_framework import serializers

from ..models import Invoice, InvoiceLine, Metric, Plan, Subscription


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "description",
            "price_cents",
            "currency",
            "replay_sessions_quota",
            "telemetry_quota",
            "member_limit",
            "hard_limit",
            "session_overage_price",
            "telemetry_overage_price",
            "normal_retention_min_days",
            "normal_retention_max_days",
            "error_retention_min_days",
            "error_retention_max_days",
            "ticket_grace_days",
            "is_self_service",
        ]


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="Exclusive: the first day of the next period.")


class SubscriptionSerializer(serializers.ModelSerializer):
    plan = PlanSerializer()
    current_period = PeriodSerializer()
    retention_bounds = serializers.SerializerMethodField()
    payment_provider = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = ["plan", "status", "current_period", "retention_bounds", "payment_provider"]

    def get_retention_bounds(self, obj) -> dict:
        from ..selectors import plan_retention_bounds

        return plan_retention_bounds(organization=obj.organization)

    def get_payment_provider(self, obj) -> str:
        from .. import stripe_adapter

        return "stripe" if stripe_adapter.is_enabled() else "none"


class PlanChangeSerializer(serializers.Serializer):
    plan = serializers.SlugField(help_text="A plan code: free, team, business.")


class CheckoutSerializer(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="Pay on Stripe; the plan changes after.")


class QuotaSerializer(serializers.Serializer):
    used = serializers.IntegerField()
    quota = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    percent = serializers.IntegerField(allow_null=True)


class UsageDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    replay_sessions_started = serializers.IntegerField()
    replay_sessions_kept = serializers.IntegerField()
    replay_bytes_stored = serializers.IntegerField()
    spans_accepted = serializers.IntegerField()
    log_records_accepted = serializers.IntegerField()
    api_calls = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    period = PeriodSerializer()
    plan = serializers.CharField()
    hard_limit = serializers.BooleanField(help_text="true: new data is refused at 100 %")
    replay_sessions = QuotaSerializer()
    telemetry = QuotaSerializer(help_text="Spans plus log records.")
    totals = serializers.DictField(child=serializers.IntegerField())
    days = UsageDaySerializer(many=True)


class InvoiceLineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="base, session_overage or telemetry_overage")

    class Meta:
        model = InvoiceLine
        fields = ["kind", "description", "quantity", "unit", "unit_price", "amount_cents"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    plan = serializers.CharField(source="plan.code")

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "period_start",
            "period_end",
            "plan",
            "plan_name",
            "status",
            "currency",
            "total_cents",
            "issued_at",
            "paid_at",
            "lines",
        ]


METRIC_FIELDS = list(Metric.values)
