"""``Authorization: Bearer qor_api_…`` authentication for the REST API."""

from rest_framework import authentication, exceptions

from apps.core.errors import AuthenticationFailed

from ..models import KeyKind
from ..services import key_authenticate


class ApiKeyUser:
    """The principal of a request made with an API key (not a person)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, key):
        self.key = key
        self.username = f"api-key:{key.prefix}"

    def __str__(self) -> str:
        return self.username


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header; use 'Authorization: Bearer <API key>'."
            )
        try:
            key = key_authenticate(raw=parts[1], kind=KeyKind.API)
        except AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from exc
        return ApiKeyUser(key), key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
