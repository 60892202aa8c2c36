"""Staff manage plans (they are data), put organizations on plans and settle invoices."""

from django.contrib import admin, messages

from apps.core.errors import DomainError

from .invoicing import invoice_set_status
from .models import (
    ChangeSource,
    DailyUsage,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Plan,
    StripeEvent,
    Subscription,
    SubscriptionChange,
)
from .services import subscription_change_plan, subscription_set_status


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "price_cents",
        "replay_sessions_quota",
        "telemetry_quota",
        "member_limit",
        "hard_limit",
        "is_self_service",
    ]
    ordering = ["position"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["organization", "plan", "status", "stripe_customer_id", "updated_at"]
    list_filter = ["plan", "status"]
    search_fields = ["organization__name", "organization__slug", "stripe_customer_id"]
    readonly_fields = ["organization", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # every organization gets one when it is created

    def save_model(self, request, obj, form, change):
        # Through the service, so the change is in the history and caches everywhere drop it.
        try:
            old = Subscription.objects.get(pk=obj.pk)
            if "plan" in form.changed_data:
                subscription_change_plan(
                    organization=obj.organization,
                    plan=obj.plan,
                    source=ChangeSource.STAFF,
                    changed_by=request.user,
                    force=True,
                )
            if "status" in form.changed_data:
                subscription_set_status(organization=obj.organization, status=obj.status)
            others = [f for f in form.changed_data if f not in ("plan", "status")]
            if others:
                for name in others:
                    setattr(old, name, getattr(obj, name))
                old.save(update_fields=others)
        except DomainError as exc:
            messages.error(request, exc.message)


@admin.register(SubscriptionChange)
class SubscriptionChangeAdmin(admin.ModelAdmin):
    list_display = ["organization", "from_plan", "to_plan", "source", "changed_by", "created_at"]
    list_filter = ["source"]

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    readonly_fields = ["kind", "description", "quantity", "unit", "unit_price", "amount_cents"]
    exclude = ["organization", "position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "organization", "period_start", "plan_name", "status", "total_cents"]
    list_filter = ["status", "period_start"]
    search_fields = ["number", "organization__name"]
    readonly_fields = [f.name for f in Invoice._meta.fields]
    inlines = [InvoiceLineInline]
    actions = ["mark_paid", "mark_void"]

    def _set(self, request, queryset, status):
        done = 0
        for invoice in queryset:
            try:
                invoice_set_status(
                    organization=invoice.organization, invoice_id=invoice.pk, status=status
                )
                done += 1
            except DomainError as exc:
                messages.warning(request, f"{invoice.number}: {exc.message}")
        messages.success(request, f"{done} invoice(s) marked {status}.")

    @admin.action(description="Mark paid")
    def mark_paid(self, request, queryset):
        self._set(request, queryset, InvoiceStatus.PAID)

    @admin.action(description="Void")
    def mark_void(self, request, queryset):
        self._set(request, queryset, InvoiceStatus.VOID)


@admin.register(DailyUsage)
class DailyUsageAdmin(admin.ModelAdmin):
    list_display = ["organization", "day", "metric", "quantity"]
    list_filter = ["metric", "day"]
    search_fields = ["organization__name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    search_fields = ["event_id", "type"]
