"""The orphan sweep: blobs under an organization's prefix that no row references (a batch
written but never acknowledged, a compaction or redaction killed before its cleanup). Only
blobs older than ``min_age`` are touched, so a write in flight is never mistaken for one."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Batch, Segment

from .. import blobstore, counters, defaults
from ..models import DeletionKind, DeletionLog

logger = logging.getLogger(__name__)
PAGE = 1000


@dataclass
class SweepResult:
    scanned: int = 0
    deleted: int = 0
    bytes: int = 0


def _session_id(key: str) -> str:
    # orgs/<org>/sessions/<session_id>/...
    parts = key.split("/")
    return parts[3] if len(parts) > 4 else ""


def _referenced(organization: Organization, session_ids: set[str]) -> set[str]:
    """Keys playback can read: segments, and batches not yet compacted."""
    segments = Segment.objects.filter(
        organization=organization, session__session_id__in=session_ids
    ).values_list("key", flat=True)
    batches = Batch.objects.filter(
        organization=organization, session__session_id__in=session_ids, segment__isnull=True
    ).values_list("key", flat=True)
    return set(segments) | set(batches)


def orphans_sweep(
    *, organization: Organization, min_age: timedelta | None = None, now: datetime | None = None
) -> SweepResult:
    now = now or timezone.now()
    if min_age is None:
        min_age = timedelta(minutes=defaults.ORPHAN_MIN_AGE_MINUTES)
    result = SweepResult()
    page = []
    for blob in blobstore.list_prefix(f"orgs/{int(organization.pk)}/sessions/"):
        page.append(blob)
        if len(page) >= PAGE:
            _sweep_page(organization, page, now - min_age, result)
            page = []
    if page:
        _sweep_page(organization, page, now - min_age, result)
    if result.deleted:
        DeletionLog.objects.create(
            organization=organization,
            kind=DeletionKind.ORPHANS,
            reason="blobs no row referenced",
            blobs=result.deleted,
            bytes=result.bytes,
        )
        counters.add(organization_id=organization.pk, amounts={"retention_orphans": result.deleted})
    logger.info(
        "orphan sweep",
        extra={
            "organization_id": organization.pk,
            "scanned": result.scanned,
            "deleted": result.deleted,
        },
    )
    return result


def _sweep_page(organization: Organization, page: list, older_than: datetime, result):
    result.scanned += len(page)
    referenced = _referenced(organization, {_session_id(b.key) for b in page})
    doomed = [b for b in page if b.key not in referenced and b.modified_at <= older_than]
    if doomed:
        blobstore.delete_keys(b.key for b in doomed)
        result.deleted += len(doomed)
        result.bytes += sum(b.size for b in doomed)
