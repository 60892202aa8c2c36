"""OTLP AnyValue / KeyValue lists → plain Python values, and JSON text safe for jsonb.

This runs for every attribute of every span, so it is written for speed: one ``WhichOneof`` per
value and the common scalar cases first.
"""

import base64

import orjson

# PostgreSQL text and jsonb cannot hold NUL; the JSON escape for it is the only way it appears
# in orjson output, so one substring test per document finds the rare values that need cleaning.
_JSON_NUL = b"\\u0000"
REPLACEMENT = "\ufffd"


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "int_value":
        return value.int_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "double_value":
        return value.double_value
    if kind == "array_value":
        return [any_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return base64.b64encode(value.bytes_value).decode("ascii")
    return None


def attributes(key_values) -> dict:
    return {kv.key: any_value(kv.value) for kv in key_values}


def _without_nul(obj):
    if isinstance(obj, str):
        return obj.replace("\x00", REPLACEMENT)
    if isinstance(obj, dict):
        return {_without_nul(k): _without_nul(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_without_nul(item) for item in obj]
    return obj


def to_json(obj) -> str:
    """JSON text of ``obj`` that PostgreSQL's jsonb accepts (no NUL characters)."""
    data = orjson.dumps(obj)
    if _JSON_NUL in data:
        data = orjson.dumps(_without_nul(obj))
    return data.decode()


def text(value: str, limit: int | None = None) -> str:
    """A string column value: NUL replaced, optionally cut to ``limit`` characters."""
    if "\x00" in value:
        value = value.replace("\x00", REPLACEMENT)
    return value if limit is None else value[:limit]
