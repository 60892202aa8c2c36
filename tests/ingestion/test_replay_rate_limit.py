"""The per-organization rate limit answers 429 with Retry-After, in Redis or in Django's cache."""

import pytest

from apps.replay.models import Batch
from tests.replay import rrweb

pytestmark = pytest.mark.django_db


def _batch(sid, seq):
    return rrweb.envelope(sid, seq, [rrweb.click(rrweb.T0 + seq * 1000)])


def _send(post_batch, organization, count):
    sid = rrweb.new_session_id()
    return [post_batch(organization, _batch(sid, seq)) for seq in range(count)]


def test_batches_over_the_limit_get_429_with_retry_after_and_are_not_stored(
    settings, org_a, post_batch
):
    settings.REPLAY_RATE_LIMIT = 3
    settings.REPLAY_RATE_WINDOW_SECONDS = 30
    responses = _send(post_batch, org_a, 5)

    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    limited = responses[3]
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 30
    assert Batch.objects.filter(organization=org_a).count() == 3


def test_the_limit_is_per_organization(settings, org_a, org_b, post_batch):
    settings.REPLAY_RATE_LIMIT = 2
    settings.REPLAY_RATE_WINDOW_SECONDS = 30
    assert _send(post_batch, org_a, 3)[-1].status_code == 429
    assert [r.status_code for r in _send(post_batch, org_b, 2)] == [200, 200]


def test_the_counter_lives_in_redis(settings, org_a, post_batch):
    import redis

    settings.REPLAY_RATE_LIMIT = 100
    settings.REPLAY_RATE_WINDOW_SECONDS = 30
    _send(post_batch, org_a, 2)
    connection = redis.Redis.from_url(settings.REDIS_URL)
    keys = connection.keys(f"qorrelate:replay-rate:{org_a.pk}:*")
    assert keys and int(connection.get(keys[0])) == 2
    assert 0 < connection.ttl(keys[0]) <= 31


def test_without_redis_the_limit_uses_djangos_cache(settings, org_a, post_batch):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REPLAY_RATE_LIMIT = 2
    settings.REPLAY_RATE_WINDOW_SECONDS = 30
    responses = _send(post_batch, org_a, 3)
    assert [r.status_code for r in responses] == [200, 200, 429]


def test_a_broken_counter_store_lets_batches_through(settings, org_a, post_batch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.REPLAY_RATE_LIMIT = 1
    assert [r.status_code for r in _send(post_batch, org_a, 2)] == [200, 200]
