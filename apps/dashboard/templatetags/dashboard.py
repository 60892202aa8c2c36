"""Formatting for the dashboard pages: durations, OTLP nanosecond times, log severities."""

from datetime import UTC, datetime

from django import template

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    """1234567 → "20m 34s"; 850 → "850 ms"; 12.5 → "12.5 ms"."""
    try:
        ms = float(value)
    except (TypeError, ValueError):
        return "—"
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 10:
        return f"{ms:.1f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@register.filter
def clock_ms(value) -> str:
    """An offset into a replay: 83000 → "1:23"."""
    try:
        total = max(int(float(value) // 1000), 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def from_unix_nano(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1e9, tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


@register.filter
def severity(log) -> str:
    """A log record's level as a word and a CSS class suffix."""
    number = getattr(log, "severity_number", 0) or 0
    text = (getattr(log, "severity_text", "") or "").lower()
    if number >= 17 or text in ("error", "fatal", "critical"):
        return "error"
    if number >= 13 or text.startswith("warn"):
        return "warn"
    if number >= 9 or text == "info":
        return "info"
    return "debug"


@register.filter
def log_body(log) -> str:
    body = getattr(log, "body", None)
    if isinstance(body, str):
        return body
    if body is None:
        return getattr(log, "event_name", "") or ""
    import json

    return json.dumps(body, ensure_ascii=False)[:2000]


@register.filter
def attr_value(value) -> str:
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


@register.filter
def lookup_label(form, name) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else str(name)


@register.filter
def mul(value, factor):
    try:
        return float(value) * float(factor)
    except (TypeError, ValueError):
        return 0


@register.filter
def sub_ns(value, start) -> float:
    """Milliseconds between two nanosecond timestamps."""
    try:
        return (int(value) - int(start)) / 1e6
    except (TypeError, ValueError):
        return 0.0


@register.filter
def severity_label(log) -> str:
    return (getattr(log, "severity_text", "") or severity(log)).upper()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def url_display(value) -> str:
    """A URL without its scheme: "shop.example/checkout?step=2"."""
    text = str(value or "")
    for scheme in ("https://", "http://"):
        if text.startswith(scheme):
            return text[len(scheme) :]
    return text
