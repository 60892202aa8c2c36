"""Rewriting a chunk with some event lines replaced (redaction), through ``storages["replay"]``.

The new blob gets a new key; the row is switched to it only if it still points at the old key
(a compaction or another audit may have moved on); then the old blob is deleted. A worker
killed in between leaves an unreferenced blob, which the orphan sweep removes.
"""

import re
import secrets

from django.db import transaction

from apps.orgs.models import Organization
from apps.replay.models import Batch
from apps.replay.storage import blobs

from .chunks import Chunk

_REDACTED_SUFFIX = re.compile(r"\.r[0-9a-f]{8}(?=\.jsonl\.zst$)")


def redacted_key(key: str) -> str:
    base = _REDACTED_SUFFIX.sub("", key)
    return base.replace(".jsonl.zst", f".r{secrets.token_hex(4)}.jsonl.zst")


def chunk_rewrite(*, organization: Organization, chunk: Chunk, raw: bytes) -> bool:
    """Store ``raw`` as the chunk's new content; False when the row moved on meanwhile."""
    blob = blobs.compress(raw)
    key = redacted_key(chunk.key)
    blobs.put(key, blob)
    with transaction.atomic():
        rows = chunk.model.objects.filter(organization=organization, pk=chunk.pk, key=chunk.key)
        if chunk.model is Batch:
            rows = rows.filter(segment__isnull=True)
        updated = rows.update(key=key, bytes=len(blob), raw_bytes=len(raw))
    if not updated:
        blobs.delete(key)
        return False
    blobs.delete(chunk.key)
    return True


def compacted_meanwhile(*, organization: Organization, batch_pks: list[int]) -> bool:
    """Did a compaction pick up a batch while it was being redacted (so the segment it wrote
    may hold the old content)?"""
    return Batch.objects.filter(
        organization=organization, pk__in=batch_pks, segment__isnull=False
    ).exists()
