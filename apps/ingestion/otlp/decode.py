"""Request bodies → OTLP protobuf messages, from binary protobuf or OTLP/JSON.

OTLP/JSON differs from the standard protobuf JSON mapping in one way that matters: trace and
span ids are hex strings, not base64. ``json_format`` would decode a hex id as base64 and store
wrong bytes without complaint, so the ids are rewritten to base64 before parsing. An id that is
not valid hex becomes a one-byte value, which the converters then reject for its length (partial
success), instead of failing the whole request.
"""

import base64
import re

import orjson
from google.protobuf import json_format

PROTOBUF = "protobuf"
JSON = "json"
FORMATS = {"application/x-protobuf": PROTOBUF, "application/json": JSON}

_HEX = re.compile(r"[0-9a-fA-F]*")
_INVALID_ID = base64.b64encode(b"\x00").decode()

# (container path from the request root to the items, id fields on each item)
_ID_FIELDS = {
    "traces": (
        (("resourceSpans", "resource_spans"), ("scopeSpans", "scope_spans"), ("spans",)),
        (("traceId", "trace_id"), ("spanId", "span_id"), ("parentSpanId", "parent_span_id")),
    ),
    "logs": (
        (
            ("resourceLogs", "resource_logs"),
            ("scopeLogs", "scope_logs"),
            ("logRecords", "log_records"),
        ),
        (("traceId", "trace_id"), ("spanId", "span_id")),
    ),
}
_LINK_ID_FIELDS = (("traceId", "trace_id"), ("spanId", "span_id"))


class DecodeError(Exception):
    pass


def _hex_to_base64(value):
    if not isinstance(value, str):
        return _INVALID_ID
    if value == "":
        return value
    if len(value) % 2 or not _HEX.fullmatch(value):
        return _INVALID_ID
    return base64.b64encode(bytes.fromhex(value)).decode()


def _children(node, names):
    if not isinstance(node, dict):
        return []
    for name in names:
        if name in node:
            value = node[name]
            return value if isinstance(value, list) else []
    return []


def _rewrite_ids(item, fields) -> None:
    if not isinstance(item, dict):
        return
    for names in fields:
        for name in names:
            if name in item:
                item[name] = _hex_to_base64(item[name])


def hex_ids_to_base64(document, signal: str) -> None:
    """Rewrite the hex ids of an OTLP/JSON document in place, ready for ``json_format``."""
    (resource_key, scope_key, item_key), id_fields = _ID_FIELDS[signal]
    for resource in _children(document, resource_key):
        for scope in _children(resource, scope_key):
            for item in _children(scope, item_key):
                _rewrite_ids(item, id_fields)
                for link in _children(item, ("links",)):
                    _rewrite_ids(link, _LINK_ID_FIELDS)


def parse(body: bytes, fmt: str, message_class, signal: str):
    message = message_class()
    if fmt == PROTOBUF:
        try:
            message.ParseFromString(body)
        except Exception as exc:  # DecodeError, RecursionError, … all mean "not this message"
            raise DecodeError(
                f"The body is not a valid {message_class.__name__} protobuf."
            ) from exc
        return message
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(f"The body is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise DecodeError(f"The body must be a JSON object ({message_class.__name__}).")
    hex_ids_to_base64(document, signal)
    try:
        json_format.ParseDict(document, message, ignore_unknown_fields=True)
    except Exception as exc:  # ParseError and the TypeErrors/ValueErrors it lets through
        raise DecodeError(f"The body is not a valid OTLP/JSON {signal} request: {exc}") from exc
    return message
