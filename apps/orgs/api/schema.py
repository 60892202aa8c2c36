from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.orgs.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from Settings → Keys: `Authorization: Bearer qor_api_…`.",
        }


class QorrelateAutoSchema(AutoSchema):
    """drf-spectacular's schema, remembering each operation's query parameters: the API base
    refuses any other (``query.check_query_params``), so the schema and the accepted
    parameters cannot drift apart. A filter added to a FilterSet is documented and accepted."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            from .query import remember_operation

            remember_operation(self.view, method, operation)
        return operation


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
                "request_id": {"type": "string"},
            },
        }
    },
}
ERRORS = {
    "400": "Invalid input: a malformed or unknown query parameter or body field.",
    "401": "Missing, malformed, invalid or revoked credentials.",
    "403": "The key's scope or the member's role is too low.",
    "404": "Not found, or another organization's (the same answer).",
    "429": "Over the key's or the organization's request budget; wait `Retry-After` seconds.",
}
WRITE_ERRORS = {
    "409": "The change conflicts with the current state.",
    "415": "The body's content type is not accepted; send JSON.",
}


def document_errors(result, generator, request, public):
    """Every operation documents the JSON errors it can answer (drf-spectacular hook)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            errors = dict(ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors |= WRITE_ERRORS
            for code, description in errors.items():
                response = responses.setdefault(code, {"description": description, "content": ref})
                if code == "429":
                    response.setdefault("headers", {})["Retry-After"] = {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before retrying.",
                    }
    return result
