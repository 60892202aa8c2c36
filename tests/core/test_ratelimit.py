"""The shared rate limit primitive: exact counts under concurrency, windows, fallbacks."""

import threading
import uuid

import pytest
import redis
from django.conf import settings

from apps.core import ratelimit


@pytest.fixture
def counter():
    return ratelimit.counter_for(settings.REDIS_URL)


def _key():
    return f"qorrelate:test-rate:{uuid.uuid4().hex}"


def test_sixteen_threads_hitting_one_key_let_exactly_the_limit_through(counter):
    key, allowed, lock = _key(), [], threading.Lock()
    barrier = threading.Barrier(16)

    def client():
        barrier.wait()
        for _ in range(25):
            result = ratelimit.hit(counter, key=key, limit=100, window=60, now=1_000_000.0)
            with lock:
                allowed.append(result.allowed)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 400
    assert sum(allowed) == 100


def test_the_window_key_expires_and_a_new_window_starts_from_zero(counter):
    key = _key()
    first = ratelimit.hit(counter, key=key, limit=2, window=10, now=1_000_005.0)
    ratelimit.hit(counter, key=key, limit=2, window=10, now=1_000_006.0)
    over = ratelimit.hit(counter, key=key, limit=2, window=10, now=1_000_007.5)
    assert first.allowed and first.remaining == 1
    assert over.over and over.retry_after == 3
    stored = f"{key}:10:100000"
    assert 0 < redis.Redis.from_url(settings.REDIS_URL).ttl(stored) <= 11
    assert ratelimit.hit(counter, key=key, limit=2, window=10, now=1_000_010.0).allowed


def test_a_limit_of_zero_counts_nothing_and_allows_everything(counter):
    key = _key()
    assert all(ratelimit.hit(counter, key=key, limit=0, window=1).allowed for _ in range(5))
    assert not redis.Redis.from_url(settings.REDIS_URL).keys(f"{key}*")


def test_a_cache_counts_when_there_is_no_redis():
    from django.core.cache.backends.locmem import LocMemCache

    counter = ratelimit.counter_for("", LocMemCache("rate-test", {}))
    results = [ratelimit.hit(counter, key="k", limit=2, window=60, now=60.0) for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, False]


def test_an_unreachable_counter_store_lets_the_hit_through(caplog):
    counter = ratelimit.counter_for("redis://127.0.0.1:1/0")
    result = ratelimit.hit(counter, key=_key(), limit=1, window=60)
    assert result.allowed
    assert "counter store unavailable" in caplog.text


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("1200/min", (1200, 60)), ("10/s", (10, 1)), ("100/10s", (100, 10)), ("5/hour", (5, 3600))]
    + [("off", (0, 60)), ("0", (0, 60))],
)
def test_rates_are_written_as_count_per_period(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


def test_an_unknown_rate_period_is_an_error():
    with pytest.raises(ValueError, match="1200/min"):
        ratelimit.parse_rate("10/fortnight")


def test_the_primitive_imports_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(ratelimit))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not [name for name in imported if name.startswith(("django", "apps"))], imported
