"""Reading a session's events back from segments and loose batches, in ``seq`` order.

A session spans the tabs of one origin; each tab (window) has its own DOM and numbers its own
batches, so playback reads one window at a time (``window_id``; None reads every window's
batches, window after window).

Rows are listed once, up front. A batch blob that has disappeared since was compacted in the
meantime: its row now names the segment to read instead. Each seq is read from exactly one
place, so events are never doubled, before, during or after compaction.
"""

import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from apps.orgs.models import Organization

from .models import Batch, Segment, Session
from .storage import blobs, frames

logger = logging.getLogger(__name__)
SEGMENT_CACHE = 2


class MissingBlob(Exception):
    pass


@dataclass(frozen=True)
class SnapshotStart:
    """Where a full snapshot begins: its Meta event's time, batch and line in that batch. A
    window from here starts exactly there, without the events of the same millisecond that
    came before it (rrweb checks out right after the event that crossed the interval)."""

    ms: int
    seq: int
    line: int


class _Reader:
    def __init__(self, organization: Organization):
        self.organization = organization
        self.segments: OrderedDict[int, dict[int, list[bytes]]] = OrderedDict()
        # The loose batch a snapshot was found in, so the window that starts there reads it once.
        self.kept: tuple[int, list[bytes]] | None = None

    def frame(self, row: dict) -> list[bytes]:
        if self.kept is not None and self.kept[0] == row["pk"]:
            return self.kept[1]
        key = row["key"]
        for _attempt in range(3):
            if row["segment_id"] is not None:
                return self.from_segment(row["segment_id"], row["seq"])
            try:
                return next(frames.iter_frames(blobs.get(key))).lines
            except FileNotFoundError:
                # Moved since the rows were listed: into a segment (compaction) or to a new key
                # (a redaction rewrote it). Follow the row once more.
                current = (
                    Batch.objects.filter(organization=self.organization, pk=row["pk"])
                    .values("segment_id", "key")
                    .first()
                )
                if current is None or (current["segment_id"] is None and current["key"] == key):
                    break
                row = {**row, "segment_id": current["segment_id"]}
                key = current["key"]
        raise MissingBlob(row["key"])

    def from_segment(self, segment_id: int, seq: int) -> list[bytes]:
        if segment_id not in self.segments:
            self.segments[segment_id] = {f.seq: f.lines for f in self._segment_frames(segment_id)}
            while len(self.segments) > SEGMENT_CACHE:
                self.segments.popitem(last=False)
        return self.segments[segment_id][seq]

    def _segment_frames(self, segment_id: int):
        for _attempt in range(3):
            key = Segment.objects.values_list("key", flat=True).get(
                organization=self.organization, pk=segment_id
            )
            try:
                return list(frames.iter_frames(blobs.get(key)))
            except FileNotFoundError:
                continue  # rewritten under a new key (a redaction) between the two reads
        raise MissingBlob(f"segment {segment_id}")


def new_reader(organization: Organization) -> _Reader:
    """A reader to share between ``snapshot_start`` and ``iter_frames_in_window``, so the blob
    the snapshot is in is downloaded once."""
    return _Reader(organization)


def iter_frames_in_window(
    *,
    organization: Organization,
    session: Session,
    lo: int | None,
    hi: int | None,
    reader: _Reader | None = None,
    begin: SnapshotStart | None = None,
    window_id: str | None = None,
    after_seq: int | None = None,
    through_seq: int | None = None,
) -> Iterator[list[bytes]]:
    """Per batch, the stored JSON of its events with ``lo <= timestamp < hi`` (epoch ms), or
    with ``begin``, of every event from that snapshot on (and before ``hi``); with
    ``after_seq`` / ``through_seq``, only of the batches numbered after / up to them."""
    rows = Batch.objects.filter(organization=organization, session=session, event_count__gt=0)
    if window_id is not None:
        rows = rows.filter(window_id=window_id)
    if after_seq is not None:
        rows = rows.filter(seq__gt=after_seq)
    if through_seq is not None:
        rows = rows.filter(seq__lte=through_seq)
    if begin is not None:
        lo = None
        rows = rows.filter(seq__gte=begin.seq)
    if lo is not None:
        rows = rows.filter(last_ms__gte=lo)
    if hi is not None:
        rows = rows.filter(first_ms__lt=hi)
    rows = list(
        rows.order_by("window_id", "seq").values(
            "pk", "seq", "key", "segment_id", "first_ms", "last_ms"
        )
    )
    reader = reader or _Reader(organization)
    for row in rows:
        try:
            lines = reader.frame(row)
        except MissingBlob as exc:
            logger.error(
                "replay blob missing for an acknowledged batch",
                extra={"organization_id": organization.pk, "batch_key": str(exc)},
            )
            continue
        if begin is not None and row["seq"] == begin.seq:
            lines = lines[begin.line :]
        inside = (lo is None or row["first_ms"] >= lo) and (hi is None or row["last_ms"] < hi)
        if inside:
            yield [frames.line_event_json(line) for line in lines]
        else:
            yield [
                frames.line_event_json(line)
                for line in lines
                if (lo is None or frames.line_timestamp(line) >= lo)
                and (hi is None or frames.line_timestamp(line) < hi)
            ]


def snapshot_start(
    *,
    organization: Organization,
    session: Session,
    at: int,
    reader: _Reader | None = None,
    window_id: str = "",
) -> SnapshotStart | None:
    """Where playback must begin to show the page as it was at ``at`` (epoch ms): the Meta event
    of the last full snapshot at or before ``at``. None if there is none.

    The index says which batches hold a full snapshot (``has_full_snapshot``; the recorder takes
    one at page load and every few minutes while the page changes), so this reads one blob, the
    nearest such batch before ``at``, and not the session up to it. Only when that batch's
    snapshot comes after ``at`` (it straddles it) does it look at the one before.
    """
    rows = (
        Batch.objects.filter(
            organization=organization,
            session=session,
            window_id=window_id,
            has_full_snapshot=True,
            first_ms__lte=at,
        )
        .order_by("-seq")
        .values("pk", "seq", "key", "segment_id", "first_ms", "last_ms")[:5]
    )
    reader = reader or _Reader(organization)
    for row in rows:
        try:
            lines = reader.frame(row)
        except MissingBlob:
            continue
        found = _last_snapshot_in(lines, at)
        if found is not None:
            if row["segment_id"] is None:
                reader.kept = (row["pk"], lines)
            return SnapshotStart(ms=found[0], seq=row["seq"], line=found[1])
    return None


def _last_snapshot_in(lines: list[bytes], at: int) -> tuple[int, int] | None:
    """(time, line index) of the Meta event (else the FullSnapshot) of the batch's last full
    snapshot at or before ``at``."""
    start, meta = None, None
    for index, line in enumerate(lines):
        ts = frames.line_timestamp(line)
        if ts > at:
            break
        kind = _event_type(frames.line_event_json(line))
        if kind == 4:
            meta = (ts, index)
        elif kind == 2:
            start = meta if meta is not None else (ts, index)
            meta = None
    return start


def _event_type(event: bytes) -> int | None:
    # Events are stored as the recorder sent them, "type" first: read the digit, parse otherwise.
    if event.startswith(b'{"type":') and event[9:10] in (b",", b"}") and event[8:9].isdigit():
        return int(event[8:9])
    kind = orjson.loads(event).get("type")
    return kind if isinstance(kind, int) else None
