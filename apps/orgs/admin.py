from django.contrib import admin

from .models import Invitation, Membership, Organization, SecretKey


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "public_id", "privacy_mode", "created_at"]
    search_fields = ["name", "slug", "public_id"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(SecretKey)
class SecretKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "organization", "kind", "scope", "last_used_at", "revoked_at"]
    exclude = ["secret_hash"]
    readonly_fields = ["prefix"]
