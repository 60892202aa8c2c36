"""Which stored chunks an audit reads, in playback order: segments and loose batches, one
window (browser tab) of the session after another (each tab is its own page: its DOM state
starts at its own snapshot)."""

from dataclasses import dataclass

from apps.orgs.models import Organization
from apps.replay.models import Batch, Segment, Session

FIRST_BATCHES = 5  # a new session's first batches: the page load, its snapshot, first inputs
MAX_RAW_BYTES = 64 * 1024 * 1024  # per audit, so one huge session cannot stall the worker


@dataclass(frozen=True)
class Chunk:
    model: type
    pk: int
    key: str
    first_seq: int
    raw_bytes: int
    window_id: str = ""

    @property
    def is_segment(self) -> bool:
        return self.model is Segment


def _segments(organization: Organization, session: Session):
    return Segment.objects.filter(organization=organization, session=session).order_by("first_seq")


def _loose(organization: Organization, session: Session):
    return Batch.objects.filter(
        organization=organization, session=session, segment__isnull=True
    ).order_by("seq")


def session_chunks(*, organization: Organization, session: Session, first_only: bool) -> list:
    chunks = [
        Chunk(Segment, s.pk, s.key, s.first_seq, s.raw_bytes, s.window_id)
        for s in _segments(organization, session).only(
            "pk", "key", "first_seq", "raw_bytes", "window_id"
        )
    ] + [
        Chunk(Batch, b.pk, b.key, b.seq, b.raw_bytes, b.window_id)
        for b in _loose(organization, session).only("pk", "key", "seq", "raw_bytes", "window_id")
    ]
    chunks.sort(key=lambda c: (c.window_id, c.first_seq))
    if first_only and chunks:
        if chunks[0].is_segment:
            chunks = chunks[:1]
        else:
            chunks = [c for c in chunks if not c.is_segment][:FIRST_BATCHES]
    kept, total = [], 0
    for chunk in chunks:
        if kept and total + chunk.raw_bytes > MAX_RAW_BYTES:
            break
        kept.append(chunk)
        total += chunk.raw_bytes
    return kept
