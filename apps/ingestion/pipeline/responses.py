"""The one JSON shape of an intake refusal, ``{"error": {"code", "message"}}``, and JSON replies."""

import orjson
from django.http import HttpResponse

from .errors import IntakeError

JSON_TYPE = "application/json"


def error_payload(error: IntakeError) -> dict:
    return {"error": {"code": error.code, "message": error.message}}


def json_reply(payload: dict, *, status: int = 200, headers: dict[str, str] | None = None):
    response = HttpResponse(orjson.dumps(payload), status=status, content_type=JSON_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
