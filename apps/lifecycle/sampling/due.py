"""Which pending sessions are finished: no batch for the organization's idle time, or ended
explicitly (and given a moment for the last batches in flight)."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import SamplingState, Session

from .. import defaults
from ..models import SamplingPolicy


def finished_filter(*, idle_minutes: int, now: datetime) -> Q:
    # ``updated_at`` moves with every stored batch (the index row is saved with it) and with
    # nothing the workers do (they update with ``update()``/update_fields), so it is the time of
    # the last batch.
    settle = now - timedelta(minutes=defaults.ENDED_SETTLE_MINUTES)
    return Q(updated_at__lte=now - timedelta(minutes=idle_minutes)) | Q(
        ended_at__isnull=False, updated_at__lte=settle
    )


def organizations_with_pending() -> list[int]:
    return list(
        Session.objects.filter(sampling_state=SamplingState.PENDING)
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )


def finished_pending_pks(
    *, organization: Organization, now: datetime | None = None, limit: int = 5000
) -> list[int]:
    now = now or timezone.now()
    idle = (
        SamplingPolicy.objects.filter(organization=organization)
        .values_list("idle_minutes", flat=True)
        .first()
    ) or defaults.IDLE_MINUTES
    return list(
        Session.objects.filter(organization=organization, sampling_state=SamplingState.PENDING)
        .filter(finished_filter(idle_minutes=idle, now=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
