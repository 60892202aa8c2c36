"""OTLP/HTTP replies in the request's encoding.

Success is the signal's Export*ServiceResponse (with ``partial_success`` when items were
rejected). Errors carry a ``google.rpc.Status`` as the specification asks: binary for protobuf
requests; for JSON requests the same Status as JSON plus Qorrelate's usual
``{"error": {"code", "message"}}`` (OTLP clients ignore fields they do not know).
"""

import orjson
from django.http import HttpResponse
from google.protobuf import json_format
from google.rpc import code_pb2, status_pb2

from ..pipeline.errors import IntakeError
from ..pipeline.responses import error_payload
from .decode import JSON

PROTOBUF_TYPE = "application/x-protobuf"
JSON_TYPE = "application/json"

_GRPC_CODE = {
    400: code_pb2.INVALID_ARGUMENT,
    401: code_pb2.UNAUTHENTICATED,
    403: code_pb2.PERMISSION_DENIED,
    405: code_pb2.UNIMPLEMENTED,
    413: code_pb2.OUT_OF_RANGE,
    415: code_pb2.INVALID_ARGUMENT,
    429: code_pb2.RESOURCE_EXHAUSTED,
    411: code_pb2.INVALID_ARGUMENT,
    503: code_pb2.UNAVAILABLE,
}


def success(fmt: str, response_class, partial_field: str, rejected: int, message: str):
    response = response_class()
    if rejected or message:
        setattr(response.partial_success, partial_field, rejected)
        response.partial_success.error_message = message
    if fmt == JSON:
        body = orjson.dumps(json_format.MessageToDict(response))
        return HttpResponse(body, content_type=JSON_TYPE)
    return HttpResponse(response.SerializeToString(), content_type=PROTOBUF_TYPE)


def error(fmt: str, error: IntakeError) -> HttpResponse:
    grpc_code = _GRPC_CODE.get(error.status, code_pb2.UNKNOWN)
    if fmt == JSON:
        body = orjson.dumps({"code": grpc_code, "message": error.message, **error_payload(error)})
        response = HttpResponse(body, status=error.status, content_type=JSON_TYPE)
    else:
        body = status_pb2.Status(code=grpc_code, message=error.message).SerializeToString()
        response = HttpResponse(body, status=error.status, content_type=PROTOBUF_TYPE)
    for name, value in error.reply_headers().items():
        response[name] = value
    return response
