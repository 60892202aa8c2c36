"""A chunk's raw content as lines, so changed events can be swapped in and everything else
stays byte for byte (see ``apps.replay.storage.frames`` for the format)."""

from dataclasses import dataclass

import orjson

from apps.replay.storage import frames


@dataclass
class Frame:
    seq: int
    line_indexes: list[int]  # positions of the frame's event lines in ``ChunkLines.lines``


class ChunkLines:
    def __init__(self, raw: bytes):
        self.lines = raw.split(b"\n")
        self.frames: list[Frame] = []
        i = 0
        while i < len(self.lines):
            if not self.lines[i]:
                i += 1
                continue
            header = orjson.loads(self.lines[i])
            count = int(header["count"])
            if i + count >= len(self.lines):
                raise ValueError("truncated frame")
            self.frames.append(Frame(int(header["seq"]), list(range(i + 1, i + 1 + count))))
            i += 1 + count

    def events(self, frame: Frame) -> tuple[list[int], list[dict]]:
        stamps, events = [], []
        for index in frame.line_indexes:
            line = self.lines[index]
            stamps.append(frames.line_timestamp(line))
            events.append(orjson.loads(frames.line_event_json(line)))
        return stamps, events

    def replace(self, line_index: int, timestamp: int, event: dict) -> None:
        self.lines[line_index] = b"[%d,%s]" % (timestamp, orjson.dumps(event))

    def raw(self) -> bytes:
        return b"\n".join(self.lines)
