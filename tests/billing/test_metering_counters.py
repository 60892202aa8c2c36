"""Usage counters: concurrent ingestion counts exactly, and a flush that crashes or is killed at
any point and is retried never counts twice nor loses anything."""

import random
import subprocess
import sys
import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from apps.billing import counters, flush, metering, rollups
from apps.billing.channel import channel
from apps.billing.flush import flush_usage_counters
from apps.billing.models import DailyUsage, Metric, UsageFlush
from tests.factories import OrganizationFactory
from tests.support.live import ROOT, live_env

METRICS = [Metric.REPLAY_SESSIONS_STARTED, Metric.SPANS_ACCEPTED, Metric.REPLAY_BYTES_STORED]


def rollup_totals(organization) -> dict[str, int]:
    rows = (
        DailyUsage.objects.filter(organization=organization)
        .values("metric")
        .annotate(total=Sum("quantity"))
    )
    return {row["metric"]: row["total"] for row in rows}


def redis_leftovers() -> tuple[int, int]:
    conn = counters.client()
    return conn.scard(counters.PENDING), len(list(conn.scan_iter("qz:usage:flush:*")))


def hammer(organization_ids, *, threads=6, per_thread=1500, seed=7) -> Counter:
    """Threads calling metering.record() as fast as they can; returns what they recorded."""
    expected: Counter = Counter()
    lock = threading.Lock()

    def work(n):
        rng = random.Random(seed + n)
        mine: Counter = Counter()
        for _ in range(per_thread):
            org = rng.choice(organization_ids)
            metric = rng.choice(METRICS)
            amount = rng.randint(1, 50)
            metering.record(organization_id=org, metric=metric, amount=amount)
            mine[(org, metric)] += amount
        with lock:
            expected.update(mine)
        connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return expected


@pytest.mark.django_db(transaction=True)
def test_counters_hammered_by_threads_while_flushes_run_equal_what_was_recorded():
    orgs = [OrganizationFactory(), OrganizationFactory()]
    done = threading.Event()
    flushes = []

    def flusher():
        while not done.is_set():
            flushes.append(flush_usage_counters())
        connection.close()

    background = threading.Thread(target=flusher)
    background.start()
    expected = hammer([org.pk for org in orgs])
    done.set()
    background.join()
    flush_usage_counters()

    assert len(flushes) > 1, "the flusher should have run while the threads counted"
    for org in orgs:
        want = {m: expected[(org.pk, m)] for m in METRICS if expected[(org.pk, m)]}
        assert rollup_totals(org) == want
    assert redis_leftovers() == (0, 0)


@pytest.mark.django_db
def test_a_flush_that_crashes_before_its_commit_is_retried_and_counts_once(monkeypatch, org_a):
    metering.record(organization_id=org_a.pk, metric=Metric.SPANS_ACCEPTED, amount=120)
    real_add = rollups.add

    def crash(**kwargs):
        real_add(**kwargs)  # the rows are written inside the transaction...
        raise RuntimeError("worker died before COMMIT")  # ...and rolled back

    monkeypatch.setattr(rollups, "add", crash)
    with pytest.raises(RuntimeError):
        flush_usage_counters()
    assert rollup_totals(org_a) == {}
    assert redis_leftovers() == (1, 1)

    monkeypatch.setattr(rollups, "add", real_add)
    metering.record(organization_id=org_a.pk, metric=Metric.SPANS_ACCEPTED, amount=5)
    flush_usage_counters()
    flush_usage_counters()
    assert rollup_totals(org_a) == {Metric.SPANS_ACCEPTED: 125}
    assert redis_leftovers() == (0, 0)


@pytest.mark.django_db
def test_a_flush_that_crashes_after_its_commit_is_retried_without_counting_twice(
    monkeypatch, org_a
):
    metering.record(organization_id=org_a.pk, metric=Metric.REPLAY_SESSIONS_STARTED, amount=3)
    real_forget = flush._forget
    calls = []

    def crash(conn, flush_key):
        calls.append(flush_key)
        raise ConnectionError("worker died after COMMIT, before cleaning Redis")

    monkeypatch.setattr(flush, "_forget", crash)
    with pytest.raises(ConnectionError):
        flush_usage_counters()
    assert rollup_totals(org_a) == {Metric.REPLAY_SESSIONS_STARTED: 3}
    assert redis_leftovers() == (1, 1)

    monkeypatch.setattr(flush, "_forget", real_forget)
    flush_usage_counters()
    assert rollup_totals(org_a) == {Metric.REPLAY_SESSIONS_STARTED: 3}
    assert UsageFlush.objects.filter(flush_id=calls[0]).count() == 1
    assert redis_leftovers() == (0, 0)


KILLED_FLUSH = """
import os, signal, django
django.setup()
from apps.billing import flush, rollups

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if "{where}" == "before_commit":
    real_add = rollups.add
    def add_then_die(**kwargs):
        real_add(**kwargs)
        die()
    rollups.add = add_then_die
else:
    flush._forget = die
flush.flush_usage_counters()
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["before_commit", "after_commit"])
def test_a_flush_worker_killed_mid_flush_loses_and_doubles_nothing(where, settings, tmp_path):
    org = OrganizationFactory()
    for _ in range(40):
        metering.record(organization_id=org.pk, metric=Metric.LOG_RECORDS_ACCEPTED, amount=25)
    channel().barrier()  # the child flushes what this process counted

    child = subprocess.run(
        [sys.executable, "-c", KILLED_FLUSH.format(where=where)],
        cwd=ROOT,
        env=live_env(settings, tmp_path),
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    after_kill = rollup_totals(org)
    assert after_kill == ({} if where == "before_commit" else {Metric.LOG_RECORDS_ACCEPTED: 1000})

    metering.record(organization_id=org.pk, metric=Metric.LOG_RECORDS_ACCEPTED, amount=1)
    flush_usage_counters()  # the retry (the next beat tick)
    assert rollup_totals(org) == {Metric.LOG_RECORDS_ACCEPTED: 1001}
    assert redis_leftovers() == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_without_redis_counts_go_straight_to_the_rollups_even_under_concurrency(settings):
    settings.REDIS_URL = ""
    orgs = [OrganizationFactory(), OrganizationFactory()]
    expected = hammer([org.pk for org in orgs], threads=4, per_thread=150)
    for org in orgs:
        want = {m: expected[(org.pk, m)] for m in METRICS if expected[(org.pk, m)]}
        assert rollup_totals(org) == want


@pytest.mark.django_db
def test_when_redis_is_down_a_count_is_written_to_the_database_instead_of_lost(settings, org_a):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    metering.record(organization_id=org_a.pk, metric=Metric.API_CALLS, amount=2)
    assert rollup_totals(org_a) == {Metric.API_CALLS: 2}


def test_an_unknown_metric_is_a_programming_error_not_a_silent_count():
    with pytest.raises(ValueError, match="unknown usage metric"):
        metering.record(organization_id=1, metric="bogus", amount=1)


@pytest.mark.django_db
def test_counters_of_a_deleted_organization_are_dropped_instead_of_blocking_the_flush(org_a):
    doomed = OrganizationFactory()
    metering.record(organization_id=doomed.pk, metric=Metric.API_CALLS, amount=4)
    metering.record(organization_id=org_a.pk, metric=Metric.API_CALLS, amount=1)
    doomed.delete()
    flush_usage_counters()
    assert rollup_totals(org_a) == {Metric.API_CALLS: 1}
    assert redis_leftovers() == (0, 0)


KILLED_RIGHT_AFTER_COUNTING = """
import os, signal, django
django.setup()
from apps.billing import metering
for _ in range(500):
    metering.record(organization_id={org}, metric="replay_bytes_stored", amount=7)
os.kill(os.getpid(), signal.SIGKILL)  # no reply was ever waited for
"""


@pytest.mark.django_db(transaction=True)
def test_counts_written_without_waiting_for_redis_survive_the_process_being_killed(
    settings, tmp_path
):
    org = OrganizationFactory()
    child = subprocess.run(
        [sys.executable, "-c", KILLED_RIGHT_AFTER_COUNTING.format(org=org.pk)],
        cwd=ROOT,
        env=live_env(settings, tmp_path),
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    flush_usage_counters()
    assert rollup_totals(org) == {Metric.REPLAY_BYTES_STORED: 3500}
