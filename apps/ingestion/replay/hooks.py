"""Per-batch work after a NEW batch is stored, run once its 2xx has been sent (so it can neither
fail nor delay the acknowledgement; a hook that raises is logged and the next one runs).

Each hook takes the ``Ingested`` batch: ``.organization``, ``.decoded`` (the ``IncomingBatch``
with its parsed events) and ``.stored`` (the ``StoredBatch``: session row, created or not).
Add per-batch work (detectors, notifications) to ``AFTER_REPLY``; keep it cheap, it runs on the
web process's request thread.
"""

import logging

from apps.replay.services import IncomingBatch, StoredBatch

from ..pipeline.stages import Ingested

logger = logging.getLogger(__name__)


def compact_ended_session(batch: Ingested[IncomingBatch, StoredBatch]) -> None:
    """The recorder's last batch: compact the session now rather than at the next sweep."""
    if not batch.decoded.ended:
        return
    from apps.replay.tasks import compact_session

    try:
        compact_session.apply_async((batch.organization.pk, batch.stored.session.pk), retry=False)
    except Exception:  # the periodic sweep compacts it later
        logger.warning(
            "could not enqueue replay compaction",
            exc_info=True,
            extra={"organization_id": batch.organization.pk},
        )


def detect_in_ended_session(batch: Ingested[IncomingBatch, StoredBatch]) -> None:
    """The recorder's last batch: read the whole session for findings now (the insights sweep
    reads quiet sessions too, so a session that never sends one is read all the same)."""
    if not batch.decoded.ended:
        return
    from apps.insights.tasks import detect_session

    try:
        detect_session.apply_async((batch.organization.pk, batch.stored.session.pk), retry=False)
    except Exception:  # the sweep reads it later
        logger.warning(
            "could not enqueue insights detection",
            exc_info=True,
            extra={"organization_id": batch.organization.pk},
        )


AFTER_REPLY = (compact_ended_session, detect_in_ended_session)
