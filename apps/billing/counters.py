"""Usage counters in Redis: one hash per organization per UTC day, fields are metrics.

Keys (all in settings.REDIS_URL's database):

* ``qz:usage:live:<org>:<yyyymmdd>`` — the hash the hot path HINCRBYs;
* ``qz:usage:index`` — a set naming the live hashes, so the flusher never SCANs;
* ``qz:usage:flush:<org>:<yyyymmdd>:<uuid>`` — a live hash renamed by the flusher (claimed);
* ``qz:usage:pending`` — claimed hashes not yet applied to PostgreSQL (retried after a crash);
* ``qz:usage:gen`` — bumped after each applied flush, so readers know their cached rollups aged;
* ``qz:billing:planver:<org>`` — bumped on a plan change, so every process drops cached limits.
"""

import uuid
from datetime import date

import redis
from django.conf import settings

from .channel import Channel

LIVE = "qz:usage:live:{org}:{day}"
INDEX = "qz:usage:index"
PENDING = "qz:usage:pending"
FLUSH_PREFIX = "qz:usage:flush:"
GEN = "qz:usage:gen"
PLAN_VERSION = "qz:billing:planver:{org}"

# Claim a live hash atomically: whatever was counted before the RENAME is in the claimed hash,
# whatever comes after starts a new live hash (and re-adds it to the index).
CLAIM_SCRIPT = """
redis.call('SREM', KEYS[1], KEYS[3])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('RENAME', KEYS[3], KEYS[4])
  redis.call('SADD', KEYS[2], KEYS[4])
  return 1
end
return 0
"""

# Sum the quota metrics over the period's live hashes on the server: one command, however many
# days, instead of a MULTI of one HMGET per day (Python's per-command cost dominates otherwise).
# KEYS: the live hashes, then the flush generation and the plan version; ARGV: the metrics.
SUM_SCRIPT = """
local totals = {}
for i = 1, #ARGV do totals[i] = 0 end
for k = 1, #KEYS - 2 do
  local values = redis.call('HMGET', KEYS[k], unpack(ARGV))
  for i = 1, #ARGV do
    if values[i] then totals[i] = totals[i] + tonumber(values[i]) end
  end
end
totals[#ARGV + 1] = redis.call('GET', KEYS[#KEYS - 1]) or '0'
totals[#ARGV + 2] = redis.call('GET', KEYS[#KEYS]) or '0'
return totals
"""

_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis | None:
    """The Redis client, or None when REDIS_URL is empty (`make run`'s embedded default)."""
    url = settings.REDIS_URL
    if not url:
        return None
    found = _clients.get(url)
    if found is None:
        found = _clients[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )
    return found


def sum_live(
    ch: Channel, organization_id: int, days: list[date], metrics: tuple[str, ...]
) -> tuple[dict[str, int], bytes, bytes]:
    """(metric → not-yet-flushed total over ``days``, flush generation, plan version).

    Read on the process's counter channel, so it sees every increment this process sent."""
    keys = [live_key(organization_id, day) for day in days]
    keys += [GEN, plan_version_key(organization_id)]
    (reply,) = ch.read([("EVAL", SUM_SCRIPT, len(keys), *keys, *metrics)])
    totals = {metric: int(value) for metric, value in zip(metrics, reply, strict=False)}
    generation, plan_version = reply[len(metrics)], reply[len(metrics) + 1]
    return totals, _as_bytes(generation), _as_bytes(plan_version)


def _as_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def day_token(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def live_key(organization_id: int, day: date) -> str:
    return LIVE.format(org=organization_id, day=day_token(day))


def plan_version_key(organization_id: int) -> str:
    return PLAN_VERSION.format(org=organization_id)


def incr(ch: Channel, organization_id: int, day: date, metric: str, amount: int) -> None:
    key = live_key(organization_id, day)
    ch.write([("HINCRBY", key, metric, amount), ("SADD", INDEX, key)])


def claim(conn: redis.Redis, live: str) -> str | None:
    """Rename one live hash to a unique flush key; None when it was already empty."""
    _, _, _, org, day = live.split(":")
    flush_key = f"{FLUSH_PREFIX}{org}:{day}:{uuid.uuid4().hex}"
    claimed = conn.eval(CLAIM_SCRIPT, 4, INDEX, PENDING, live, flush_key)
    return flush_key if claimed else None


def parse_flush_key(flush_key: str) -> tuple[int, date]:
    org, day = flush_key[len(FLUSH_PREFIX) :].split(":")[:2]
    return int(org), date(int(day[:4]), int(day[4:6]), int(day[6:8]))


def decode_hash(raw: dict) -> dict[str, int]:
    return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items() if int(v)}
