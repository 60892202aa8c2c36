"""A reading of a session put away between passes: the timeline so far and the page mirror, so
the next pass reads only the batches that came since (detection stays linear in the session's
length instead of reading a long session again every few minutes).

JSON compressed with zstd, never pickle: it is read back from the database, and a row must
never be able to run code. A checkpoint of another version, or one that does not parse, is
ignored (the pass reads the whole session again).
"""

import dataclasses
from typing import NamedTuple

import orjson
import zstandard

from .dom import Mirror, Node
from .timeline import Activation, Invalid, LongTask, Message, Reading, Request, Timeline, _Builder

VERSION = 2
# A page this large is read again rather than put away (its checkpoint would be megabytes).
MAX_NODES = 20_000
_ROWS = {
    "activations": Activation,
    "requests": Request,
    "messages": Message,
    "invalid": Invalid,
    "long_tasks": LongTask,
}


def _row(item) -> list:
    return [getattr(item, f.name) for f in dataclasses.fields(item)]


class Window(NamedTuple):
    """One window's (browser tab's) reading, through batch ``through``, of ``batches`` batches."""

    reading: Reading
    through: int
    batches: int


def dump(windows: dict[str, Window]) -> bytes | None:
    """Every window's reading, or None when one is too large to put away."""
    states = {}
    for window_id, window in windows.items():
        state = _state(window.reading.builder)
        if state is None:
            return None
        states[window_id] = {"through": window.through, "batches": window.batches, "state": state}
    payload = {"v": VERSION, "windows": states}
    return zstandard.ZstdCompressor(level=3).compress(orjson.dumps(payload))


def load(blob: bytes | None) -> dict[str, Window]:
    """The windows put away, or {} for no checkpoint, one of another version or one that does
    not parse."""
    if not blob:
        return {}
    try:
        payload = orjson.loads(zstandard.ZstdDecompressor().decompress(bytes(blob)))
        if payload.get("v") != VERSION:
            return {}
        return {
            window_id: Window(Reading(_restore(saved["state"])), saved["through"], saved["batches"])
            for window_id, saved in payload["windows"].items()
        }
    except (
        zstandard.ZstdError,
        orjson.JSONDecodeError,
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
    ):
        return {}


def _state(builder: _Builder) -> dict | None:
    mirror, t = builder.mirror, builder.t
    if len(mirror.nodes) > MAX_NODES:
        return None
    timeline = {
        name: [_row(item) for item in getattr(t, name)] if name in _ROWS else getattr(t, name)
        for name in (f.name for f in dataclasses.fields(t))
    }
    timeline["clicks_on"] = [[node, times] for node, times in t.clicks_on.items()]
    timeline["removed"] = [[node, ts] for node, ts in t.removed.items()]
    where = {id(message): i for i, message in enumerate(t.messages)}
    return {
        "t": timeline,
        "nodes": [_row(node) for node in mirror.nodes.values()],
        "live": sorted(mirror.live),
        "url": builder.url,
        "last_activation": builder.last_activation,
        "open": [where[id(message)] for message in builder.open.values()],
    }


def _restore(state: dict) -> _Builder:
    raw = state["t"]
    values = {}
    for f in dataclasses.fields(Timeline):
        value = raw[f.name]
        if f.name in _ROWS:
            value = [_ROWS[f.name](*row) for row in value]
        elif f.name == "errors":
            value = [tuple(row) for row in value]
        elif f.name in ("clicks_on", "removed"):
            value = {node: v for node, v in value}
        values[f.name] = value
    builder = _Builder()
    builder.t = Timeline(**values)
    mirror = Mirror()
    mirror.nodes = {row[0]: Node(*row) for row in state["nodes"]}
    mirror.live = set(state["live"])
    builder.mirror = mirror
    builder.url = state["url"]
    builder.last_activation = state["last_activation"]
    messages = builder.t.messages
    builder.open = {messages[i].root: messages[i] for i in state["open"]}
    return builder
