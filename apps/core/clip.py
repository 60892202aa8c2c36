"""Cutting untrusted text to a stored length, visibly: whoever reads a stored value must be able
to tell it was cut and by how much (the way OTLP reports ``dropped_attributes_count``)."""


def clip(value: str, limit: int) -> str:
    """``value`` if it fits in ``limit`` characters, else its first ``limit`` characters followed
    by ``…[truncated N chars]`` (N = how many were cut)."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}…[truncated {len(value) - limit} chars]"
