"""Per-batch work after a NEW batch is stored, run once its 2xx has been sent (so it can neither
fail nor delay the acknowledgement; a hook that raises is logged and the next one runs).

Each hook takes the ``Ingested`` batch: ``.organization``, ``.decoded`` (the ``IncomingBatch``
with its parsed events) and ``.stored`` (the ``StoredBatch``: session row, created or not).
Add per-batch work (detectors, notifications) to ``AFTER_REPLY``; keep it cheap, it runs on the
web process's request thread.
"""

from apps.insights.tasks import detect_session
from apps.replay.services import IncomingBatch, StoredBatch
from apps.replay.tasks import compact_session

from ..pipeline.stages import Ingested


def compact_ended_session(batch: Ingested[IncomingBatch, StoredBatch]) -> None:
    """The recorder's last batch: compact the session now rather than at the next sweep."""
    if batch.decoded.ended:
        compact_session.apply_async(_ids(batch), retry=False)


def detect_in_ended_session(batch: Ingested[IncomingBatch, StoredBatch]) -> None:
    """The recorder's last batch: read the whole session for findings now."""
    if batch.decoded.ended:
        detect_session.apply_async(_ids(batch), retry=False)


def _ids(batch: Ingested[IncomingBatch, StoredBatch]) -> tuple[int, int]:
    return batch.organization.pk, batch.stored.session.pk


# A hook that cannot enqueue (the broker is down) is logged by the pipeline and changes nothing
# else: the periodic sweeps compact and read the session later all the same.
AFTER_REPLY = (compact_ended_session, detect_in_ended_session)
