"""The flush runs in a real Celery worker and is idempotent when the task is delivered twice."""

import time

import pytest

from apps.billing import metering
from apps.billing.channel import channel
from apps.billing.models import DailyUsage, Metric
from apps.billing.tasks import flush_usage
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_flushes_the_counters_once_even_if_the_task_runs_twice(
    celery_worker_process,
):
    org = OrganizationFactory()
    for _ in range(30):
        metering.record(organization_id=org.pk, metric=Metric.SPANS_ACCEPTED, amount=10)
    channel().barrier()

    flush_usage.delay()
    flush_usage.delay()  # a duplicate delivery
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = DailyUsage.objects.filter(organization=org, metric=Metric.SPANS_ACCEPTED).first()
        if row is not None:
            break
        time.sleep(0.2)
    time.sleep(1)  # let the second delivery run too

    assert DailyUsage.objects.get(organization=org, metric=Metric.SPANS_ACCEPTED).quantity == 300
    assert "billing.flush_usage" in celery_worker_process.output()
