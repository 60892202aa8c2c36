from rest_framework import serializers

from ..models import Invitation, KeyKind, KeyScope, Membership, Organization, PrivacyMode, Role


class OrganizationSerializer(serializers.ModelSerializer):
    data_org_id = serializers.CharField(source="public_id", read_only=True)
    allowed_origins = serializers.ListField(child=serializers.CharField(), required=False)
    privacy_mode = serializers.ChoiceField(choices=PrivacyMode.choices, required=False)

    class Meta:
        model = Organization
        fields = ["name", "slug", "data_org_id", "allowed_origins", "privacy_mode", "created_at"]
        read_only_fields = ["slug", "created_at"]


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "role", "created_at"]
        read_only_fields = ["id", "email", "created_at"]


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at"]
        read_only_fields = ["id", "created_at", "expires_at"]


class KeySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=KeyKind.choices)
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=KeyScope.choices, default=KeyScope.READ)
    prefix = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CreatedKeySerializer(KeySerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The full key. It is shown once and never again."
    )
