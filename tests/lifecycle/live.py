"""Helpers for the live-worker tests: a worker on Redis and the test's S3 bucket, waiting for
what it does, and checking storage and index agree."""

import time

import pytest

from apps.replay.models import Batch, Segment
from tests.replay.fixtures import stored_keys
from tests.support.live import live_env, start_worker


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.05, what: str = "it"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


@pytest.fixture
def s3_worker(s3_storage, transactional_db, settings, tmp_path):
    """A live Celery worker (solo pool, Redis broker) whose replay storage is the moto bucket."""
    from qorrelate.celery import app

    app.control.purge()  # nothing left over from another test
    worker = start_worker(live_env(settings, tmp_path), tmp_path / "worker.log")
    yield worker
    worker.stop()


def readable_keys() -> set[str]:
    """Keys the index says playback reads: segments and not-yet-compacted batches."""
    return set(Segment.objects.values_list("key", flat=True)) | set(
        Batch.objects.filter(segment__isnull=True).values_list("key", flat=True)
    )


def assert_storage_matches_index():
    stored = set(stored_keys())
    readable = readable_keys()
    assert readable <= stored, f"index rows point at missing blobs: {sorted(readable - stored)[:5]}"
    assert stored <= readable, f"blobs no row references: {sorted(stored - readable)[:5]}"
