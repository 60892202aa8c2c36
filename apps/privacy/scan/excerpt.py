"""Redacted excerpts: enough context to find the spot, never the value. Every detected value
in the window becomes a placeholder, remaining digits become '#', and long unbroken tokens
(which could be secrets no detector knows) are cut."""

import re

from apps.core.sensitive import Match

WIDTH = 24
_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-+/=.]{17,}")


def _clean(text: str) -> str:
    if not text:
        return ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() and text.strip() else ""
    text = lead + " ".join(text.split()) + trail
    text = re.sub(r"\d", "#", text)
    return _LONG_TOKEN.sub("…", text)


def excerpt(text: str, matches: list[Match], target: Match) -> str:
    left_start = max(0, target.start - WIDTH)
    right_end = min(len(text), target.end + WIDTH)
    pieces, cursor = [], left_start
    for match in matches:
        if match.end <= left_start or match.start >= right_end:
            continue
        start = max(match.start, left_start)
        pieces.append(_clean(text[cursor:start]))
        pieces.append(f"[{match.kind}]")
        cursor = max(cursor, match.end)
    pieces.append(_clean(text[cursor:right_end]) if cursor < right_end else "")
    prefix = "…" if left_start > 0 else ""
    suffix = "…" if right_end < len(text) else ""
    return (prefix + "".join(pieces).strip() + suffix)[:300]


def masked_value_excerpt(kind_label: str, value: str) -> str:
    return f"{kind_label}: {len(value)} characters, not masked"
