"""One batch through the intake: duplicate check, quota, durable store, metering, compaction.

The ingestion layer is the only one that talks to billing (replay does not import it).
"""

import logging

from apps.billing import metering, quota
from apps.orgs.models import Organization
from apps.replay.services import IncomingBatch, StoredBatch, batch_store

from .errors import IntakeError

logger = logging.getLogger(__name__)


def ingest_batch(*, organization: Organization, incoming: IncomingBatch) -> StoredBatch:
    def admit(session_is_new: bool) -> None:
        # Asked once per batch that is not a duplicate (a retry is acknowledged, never billed).
        try:
            quota.admit_replay_batch(organization=organization, session_is_new=session_is_new)
        except quota.QuotaExceeded as exc:
            # The recorder treats this code as final (the organization is over its plan).
            message = getattr(exc, "message", "") or str(exc)
            raise IntakeError(429, "quota_exceeded", message, retry_after=exc.retry_after) from None

    stored = batch_store(organization=organization, incoming=incoming, admit=admit)
    if not stored.duplicate:
        _meter(organization, stored)
        if incoming.ended:
            _schedule_compaction(organization, stored)
    return stored


def _meter(organization: Organization, stored: StoredBatch) -> None:
    # The batch is already stored and will be acknowledged; a metering failure is logged, not
    # turned into a refusal that would make the recorder send it again.
    try:
        if stored.session_created:
            metering.record(
                organization_id=organization.pk, metric="replay_sessions_started", amount=1
            )
        metering.record(
            organization_id=organization.pk,
            metric="replay_bytes_stored",
            amount=stored.bytes_stored,
        )
    except Exception:
        logger.exception("replay metering failed", extra={"organization_id": organization.pk})


def _schedule_compaction(organization: Organization, stored: StoredBatch) -> None:
    from apps.replay.tasks import compact_session

    try:
        compact_session.apply_async((organization.pk, stored.session.pk), retry=False)
    except Exception:  # the periodic sweep compacts it later
        logger.warning(
            "could not enqueue replay compaction",
            exc_info=True,
            extra={"organization_id": organization.pk},
        )
