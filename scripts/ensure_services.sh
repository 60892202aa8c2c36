#!/usr/bin/env bash
# make test needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Start them when they
# are installed but stopped; fail with a clear message when they cannot be reached.
set -u
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "==> PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 0.5; done
fi
if ! pg_up; then
  echo "ERROR: PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started." >&2
  echo "       Install it (apt-get install postgresql) or set TEST_DATABASE_URL." >&2
  exit 1
fi

if ! redis_up; then
  echo "==> Redis is not answering on 127.0.0.1:6379; starting it"
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
fi
if ! redis_up; then
  echo "ERROR: Redis is not reachable on 127.0.0.1:6379 and could not be started." >&2
  echo "       Install it (apt-get install redis-server) or set TEST_REDIS_URL." >&2
  exit 1
fi
echo "==> PostgreSQL and Redis are up"
