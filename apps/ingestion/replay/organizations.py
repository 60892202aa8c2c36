"""The organization of a data-org-id, remembered for a few seconds per process.

Every batch names its organization; looking it up is the one query that would otherwise be
repeated for each of them. Saving an organization forgets it in this process at once; other
processes see a change (say, of allowed origins) within ``TTL_SECONDS``.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save

from apps.orgs.models import Organization
from apps.orgs.selectors import organization_by_public_id

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
_cache: dict[str, tuple[float, Organization | None]] = {}
_lock = threading.Lock()


def organization_for(public_id: str) -> Organization | None:
    now = time.monotonic()
    hit = _cache.get(public_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    organization = organization_by_public_id(public_id=public_id)
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        _cache[public_id] = (now + TTL_SECONDS, organization)
    return organization


def forget(sender, instance: Organization, **kwargs) -> None:
    with _lock:
        _cache.pop(instance.public_id, None)


post_save.connect(forget, sender=Organization, dispatch_uid="ingestion-replay-org-cache-save")
post_delete.connect(forget, sender=Organization, dispatch_uid="ingestion-replay-org-cache-delete")
