"""Query parameters, checked in the API base for every endpoint: the names each operation
documents in the OpenAPI schema are the only ones accepted (anything else is a 400 naming the
allowed ones), and no parameter or path part may hold a NUL byte (PostgreSQL refuses those).
Values are validated by each endpoint's FilterSet or parser."""

import threading

from rest_framework.exceptions import ValidationError

# (view class, action, method) → (exact names, deepObject prefixes such as "attr")
_DOCUMENTED: dict[tuple, tuple[frozenset[str], frozenset[str]]] = {}
_lock = threading.Lock()
_generated = False
ALWAYS = frozenset({"org", "format"})  # organization choice (session auth), DRF's format


def _key(view, method: str) -> tuple:
    return (type(view), getattr(view, "action", None), method.upper())


def remember_operation(view, method: str, operation: dict) -> None:
    names, prefixes = set(), set()
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        if parameter.get("style") == "deepObject":
            prefixes.add(parameter["name"])
        else:
            names.add(parameter["name"])
    _DOCUMENTED[_key(view, method)] = (frozenset(names), frozenset(prefixes))


def _ensure_generated() -> None:
    global _generated
    if _generated:
        return
    with _lock:
        if not _generated:
            from drf_spectacular.generators import SchemaGenerator

            SchemaGenerator().get_schema(request=None, public=True)
            _generated = True


def documented(view, method: str) -> tuple[frozenset[str], frozenset[str]] | None:
    _ensure_generated()
    method = "GET" if method.upper() == "HEAD" else method
    return _DOCUMENTED.get(_key(view, method))


def _has_nul(value: str) -> bool:
    return "\x00" in value


def check_query_params(view, request) -> None:
    params = request.query_params
    for name in params:
        if _has_nul(name) or any(_has_nul(v) for v in params.getlist(name)):
            raise ValidationError({name[:60]: ["Query parameters may not contain NUL bytes."]})
    for name, value in view.kwargs.items():
        if isinstance(value, str) and _has_nul(value):
            raise ValidationError({name: ["The URL may not contain NUL bytes."]})
    if request.method == "OPTIONS":
        return
    known = documented(view, request.method)
    if known is None:  # not in the schema (excluded on purpose): nothing to check against
        return
    names, prefixes = known
    allowed = names | ALWAYS
    unknown = [
        name
        for name in params
        if name not in allowed and not any(name.startswith(f"{p}[") for p in prefixes)
    ]
    if unknown:
        listed = sorted(allowed) + [f"{p}[…]" for p in sorted(prefixes)]
        raise ValidationError(
            {
                unknown[0][:60]: [
                    f"Unknown query parameter {unknown[0][:60]!r}. "
                    f"Allowed here: {', '.join(listed)}."
                ]
            },
            code="unknown_parameter",
        )


def check_body(request) -> None:
    """No NUL byte in any string of a JSON or form body (PostgreSQL refuses them)."""

    def walk(value, path):
        if isinstance(value, str):
            if "\x00" in value:
                raise ValidationError({path or "body": ["Text may not contain NUL bytes."]})
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(str(key), path)
                walk(item, str(key) if not path else f"{path}.{key}")
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, path)

    if hasattr(request.data, "lists"):
        for key, values in request.data.lists():
            walk(str(key), key)
            walk(values, key)
    else:
        walk(request.data, "")


# Real time zones span UTC-12:00 to UTC+14:00; PostgreSQL refuses offsets past ±15:59, and a
# query with one was a 500.
MAX_UTC_OFFSET_HOURS = 14
OFFSET_MESSAGE = "The time-zone offset must be between -14:00 and +14:00."


def offset_in_range(value) -> bool:
    """True for a naive datetime or one whose UTC offset a real time zone can have."""
    offset = value.utcoffset() if value is not None else None
    return offset is None or abs(offset.total_seconds()) <= MAX_UTC_OFFSET_HOURS * 3600
