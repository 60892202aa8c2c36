"""OTLP AnyValue / KeyValue lists → plain Python values, and JSON text safe for jsonb.

This runs for every attribute of every span, so it is written for speed: one ``WhichOneof`` per
value, the common scalar cases first, and the limits (``attribute_limits.py``) checked with one
``len`` per string value; keys are checked only in documents long enough to hold an oversized
one (``limited_json``). The rare values over a limit take a slower path.
"""

import base64

import orjson

from apps.core.clip import clip

from .attribute_limits import DROPPED_ATTRIBUTES, AttributeLimits
from .convert import SESSION_ATTRIBUTE

# PostgreSQL text and jsonb cannot hold NUL; the JSON escape for it is the only way it appears
# in orjson output, so one substring test per document finds the rare values that need cleaning.
_JSON_NUL = b"\\u0000"
REPLACEMENT = "\ufffd"
REDACTED_VALUE = "[redacted]"


def any_value(value, limit: int):
    """The plain value; strings (also inside arrays and maps, and map keys) cut to ``limit``."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        string = value.string_value
        return string if len(string) <= limit else clip(string, limit)
    if kind == "int_value":
        return value.int_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "double_value":
        return value.double_value
    if kind == "array_value":
        return [any_value(item, limit) for item in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value, limit) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return clip(base64.b64encode(value.bytes_value).decode("ascii"), limit)
    return None


def attributes(key_values, limits: AttributeLimits, denied: frozenset = frozenset()) -> dict:
    """A KeyValue list as a dict, within the count and value-length limits, with the value of
    every key in ``denied`` (HTTP header attributes the organization never stores, see
    ``apps.privacy.network_headers.denied_header_attributes``) replaced by ``[redacted]``.

    Beyond the count limit the first attributes are kept (as the SDK does) plus ``session.id``
    wherever it is, because correlating with the replay is what the span is stored for; how many
    were dropped is the ``qorrelate.dropped_attributes_count`` attribute.
    """
    if len(key_values) > limits.attribute_count:
        return _redacted(_over_count(key_values, limits), denied)
    limit = limits.value_length
    plain = {}
    for kv in key_values:
        value = kv.value
        # Most values are non-empty strings or non-zero integers: a non-default read can only
        # be the value's kind, so one or two reads answer those without ``WhichOneof`` (an
        # empty string or a zero reads the same as another kind: the general path).
        string = value.string_value
        if string:
            plain[kv.key] = string if len(string) <= limit else clip(string, limit)
            continue
        number = value.int_value
        plain[kv.key] = number if number else any_value(value, limit)
    return _redacted(plain, denied) if denied and not denied.isdisjoint(plain) else plain


def _redacted(plain: dict, denied: frozenset) -> dict:
    for key in denied.intersection(plain):
        plain[key] = REDACTED_VALUE
    return plain


def _over_count(key_values, limits: AttributeLimits) -> dict:
    limit = limits.value_length
    count = limits.attribute_count
    kept = {kv.key: any_value(kv.value, limit) for kv in key_values[:count]}
    if SESSION_ATTRIBUTE not in kept:
        for kv in key_values[count:]:
            if kv.key == SESSION_ATTRIBUTE:
                kept[SESSION_ATTRIBUTE] = any_value(kv.value, limit)
    kept[DROPPED_ATTRIBUTES] = len(key_values) - count
    return kept


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


def limited_json(obj, limit: int) -> str:
    """``to_json`` with every map key (at any depth) cut to ``limit`` characters.

    Only a document longer than ``limit`` can hold a longer key, so the usual small one is
    serialized once and never walked.
    """
    data = to_json(obj)
    if len(data) > limit:
        data = to_json(_short_keys(obj, limit))
    return data


def _short_keys(obj, limit: int):
    if isinstance(obj, dict):
        return {
            (key if len(key) <= limit else clip(key, limit)): _short_keys(item, limit)
            for key, item in obj.items()
        }
    if isinstance(obj, list):
        return [_short_keys(item, limit) for item in obj]
    return obj


def text(value: str, limit: int | None = None) -> str:
    """A string column value: NUL replaced, optionally cut to ``limit`` characters (silently:
    for short fixed-size columns such as the severity text)."""
    if "\x00" in value:
        value = value.replace("\x00", REPLACEMENT)
    return value if limit is None else value[:limit]


def clipped(value: str, limit: int) -> str:
    """A string column value: NUL replaced, cut to ``limit`` characters with a visible marker."""
    if "\x00" in value:
        value = value.replace("\x00", REPLACEMENT)
    return value if len(value) <= limit else clip(value, limit)
