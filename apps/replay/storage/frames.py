"""The format inside a blob (after zstd): JSON lines, one frame per batch.

A frame is a header line ``{"seq": n, "count": k}`` followed by ``k`` event lines
``[timestamp, event]``. A batch blob holds one frame; a segment holds its batches' frames in
``seq`` order. The timestamp up front lets a time window be cut without parsing the events, and
the event JSON is sent to players as it is stored.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from apps.core.errors import Unstorable


@dataclass(frozen=True)
class Frame:
    seq: int
    lines: list[bytes]  # b'[ts,{...event...}]'


MAX_DEPTH_MESSAGE = (
    "An event is nested too deeply to store (over 255 levels of objects and arrays); "
    "sending it again will not help."
)


def encode_frame(seq: int, events: Iterable[dict]) -> bytes:
    try:
        lines = [b"[%d,%s]" % (int(event["timestamp"]), orjson.dumps(event)) for event in events]
    except orjson.JSONEncodeError as exc:
        # orjson reads 1,024 levels but writes 255: the batch can never be stored as sent.
        raise Unstorable(MAX_DEPTH_MESSAGE) from exc
    header = orjson.dumps({"seq": seq, "count": len(lines)})
    return b"\n".join([header, *lines]) + b"\n"


def iter_frames(raw: bytes) -> Iterator[Frame]:
    lines = raw.split(b"\n")
    i = 0
    while i < len(lines):
        if not lines[i]:
            i += 1
            continue
        header = orjson.loads(lines[i])
        count = int(header["count"])
        body = lines[i + 1 : i + 1 + count]
        if len(body) != count:
            raise ValueError(f"frame {header.get('seq')} is truncated")
        yield Frame(seq=int(header["seq"]), lines=body)
        i += 1 + count


def line_timestamp(line: bytes) -> int:
    return int(line[1 : line.index(b",")])


def line_event_json(line: bytes) -> bytes:
    """The stored event's JSON, without re-serializing it."""
    return line[line.index(b",") + 1 : -1]
