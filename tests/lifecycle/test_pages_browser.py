"""The Sampling and Retention pages in a real browser, with a few days of activity
(screenshots go to test-artifacts/)."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.lifecycle import counters, services
from apps.lifecycle.models import DeletionLog
from tests.conftest import log_in
from tests.lifecycle.conftest import put_on_plan
from tests.lifecycle.recording import age, page_events, record
from tests.replay import rrweb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _activity(organization):
    rng = random.Random(7)
    today = timezone.now().date()
    for back in range(14):
        kept = rng.randint(120, 260)
        counters.add(
            organization_id=organization.pk,
            day=today - timedelta(days=back),
            amounts={
                "sampling_kept": kept,
                "sampling_dropped": rng.randint(300, 700),
                "sampling_decided": kept + 500,
                "retention_sessions": rng.randint(200, 400),
            },
        )


def test_the_sampling_page_shows_rules_activity_and_tombstones(
    live_server, page, artifacts_dir, alice, org_a
):
    put_on_plan(org_a, "team")
    services.sampling_policy_update(organization=org_a, normal_rate=10, min_duration_ms=2000)
    services.rule_create(organization=org_a, name="Beta testers", user_pattern="beta-*", rate=100)
    services.rule_create(organization=org_a, name="Checkout", url_pattern="*/checkout*", rate=50)
    t = rrweb.T0
    sessions = [
        age(record(org_a, batches=[page_events(t, rrweb.uncaught_error(t + 9, "x"))]), minutes=50),
        age(record(org_a, user_id="beta-17"), minutes=45),
    ] + [age(record(org_a, user_id=f"user-{i}@shop.test"), minutes=40) for i in range(6)]
    services.sessions_decide(organization=org_a, session_pks=[s.pk for s in sessions])
    _activity(org_a)

    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/sampling/")
    assert page.locator("h1").inner_text() == "Sampling"
    assert page.locator(".lc-rules tbody tr").count() == 7  # 4 defaults, 2 segments, the rest
    assert page.locator("text=Why is there no replay?").is_visible()
    page.screenshot(path=str(artifacts_dir / "lifecycle-sampling.png"), full_page=True)


def test_the_retention_page_shows_the_policy_dry_run_and_log(
    live_server, page, artifacts_dir, alice, org_a
):
    put_on_plan(org_a, "team")
    for i in range(5):
        age(record(org_a, user_id=f"u-{i}"), days=20 + i)
    t = rrweb.T0
    age(record(org_a, batches=[page_events(t, rrweb.console_error(t + 3, "x"))]), days=40)
    age(record(org_a), days=2)
    services.retention_run(organization=org_a, as_of=timezone.now() - timedelta(days=3))
    for i in range(3):
        age(record(org_a), days=30 + i)
    DeletionLog.objects.create(
        organization=org_a,
        kind="telemetry",
        reason="older than 14 days and not part of a kept session",
        spans=48210,
        logs=9120,
    )
    DeletionLog.objects.create(
        organization=org_a, kind="orphans", reason="blobs no row referenced", blobs=3, bytes=9000
    )
    _activity(org_a)

    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/retention/")
    assert page.locator("h1").inner_text() == "Retention"
    assert page.locator("text=Dry run: the next run would delete").is_visible()
    assert page.locator("text=Team").first.is_visible()
    page.screenshot(path=str(artifacts_dir / "lifecycle-retention.png"), full_page=True)
