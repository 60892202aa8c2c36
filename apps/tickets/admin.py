from django.contrib import admin

from .models import HelpdeskIntegration, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "status", "subject", "created_at", "closed_at")
    list_filter = ("status", "source")
    search_fields = ("external_id", "subject", "reporter_user_id", "reporter_email")
    raw_id_fields = ("organization", "integration")


@admin.register(HelpdeskIntegration)
class HelpdeskIntegrationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organization", "public_id", "last_delivery_at")
    exclude = ("secret",)  # never shown again after creation
    raw_id_fields = ("organization", "created_by")
