"""The recorder protocol, defined once in ``recorder.schema.json``: the batch envelope replay.js
sends and the kinds of a session's notable moments. The recorder and the player import the same
file (``static/src``); tests on both sides validate against it."""

import json
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("recorder.schema.json")
SCHEMA: dict = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

# (value, label) of every mark kind, in the schema's order.
MARK_KINDS: list[tuple[str, str]] = [
    (kind["const"], kind["title"]) for kind in SCHEMA["$defs"]["markKind"]["oneOf"]
]
# The kinds the detectors report as findings (apps/insights), in the schema's order.
FINDING_KINDS: tuple[str, ...] = tuple(
    kind["const"] for kind in SCHEMA["$defs"]["markKind"]["oneOf"] if kind.get("x-finding")
)

# The tags of the session lifecycle events (OpenTelemetry's session.start, session.end).
SESSION_START_TAG, SESSION_END_TAG = SCHEMA["$defs"]["sessionEventTag"]["enum"]
# Header names network details never keep, whoever sends them (the organization adds its own).
ALWAYS_REDACTED_HEADERS: tuple[str, ...] = tuple(
    SCHEMA["$defs"]["networkDetails"]["x-redacted-headers"]
)
