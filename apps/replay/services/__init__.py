"""Writes of the replay domain. Import from here: ``from apps.replay.services import ...``."""

from .batches import IncomingBatch, StoredBatch, batch_store
from .compaction import session_compact, sessions_due_for_compaction
from .findings import FindingMark, session_findings_apply
from .lifecycle import sessions_close_idle

__all__ = [
    "IncomingBatch",
    "StoredBatch",
    "batch_store",
    "FindingMark",
    "session_findings_apply",
    "session_compact",
    "sessions_due_for_compaction",
    "sessions_close_idle",
]
