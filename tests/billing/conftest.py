"""Billing fixtures: fresh in-process caches, plans by code, and usage written the real way."""

import pytest

from apps.billing import metering
from apps.billing.flush import flush_usage_counters
from apps.billing.models import ChangeSource, Plan
from apps.billing.services import subscription_change_plan
from apps.billing.usage import clear_caches
from tests.replay.fixtures import post_batch  # noqa: F401  (the replay intake, for 429 tests)


@pytest.fixture(autouse=True)
def _fresh_usage_caches():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def put_on_plan():
    """``put_on_plan(org, "team")`` → the subscription, changed the way staff change it."""

    def change(organization, code):
        return subscription_change_plan(
            organization=organization,
            plan=Plan.objects.get(code=code),
            source=ChangeSource.STAFF,
            force=True,
        )

    return change


@pytest.fixture
def use():
    """``use(org, metric, amount, flush=True)``: count usage like the intakes do."""

    def record(organization, metric, amount, *, flush=True):
        metering.record(organization_id=organization.pk, metric=metric, amount=amount)
        if flush:
            flush_usage_counters()

    return record
