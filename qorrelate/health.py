"""Liveness (/healthz) and readiness (/readyz: database, Redis and blob storage).

Probes reach a container by its IP, a host name that is not in ALLOWED_HOSTS, so
``HealthCheckMiddleware`` answers both paths before anything validates the Host header.
The beat → broker → worker path has its own heartbeat: a periodic task stamps the cache and
/readyz reports its age (informational: a web process stays ready while workers restart).
"""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "qorrelate:worker-heartbeat"


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    if not settings.REDIS_URL:
        return
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()


def _check_storage() -> None:
    from django.core.files.storage import storages

    storages["replay"].exists("healthcheck/ready")


def _heartbeat_age() -> float | None:
    try:
        stamped = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:  # the redis check already reports a broken cache
        return None
    return None if stamped is None else round(max(time.time() - stamped, 0.0), 1)


def readyz(request):
    checks = {}
    ok = True
    for name, check in (
        ("database", _check_database),
        ("redis", _check_redis),
        ("storage", _check_storage),
    ):
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # readiness reports any failure instead of raising
            ok = False
            checks[name] = {"ok": False, "error": type(exc).__name__}
            logger.warning("readiness check failed", extra={"check": name, "error": str(exc)})
        else:
            checks[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "checks": checks,
            "worker_heartbeat_age_s": _heartbeat_age(),
        },
        status=200 if ok else 503,
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)


@shared_task(name="qorrelate.heartbeat", ignore_result=True)
def heartbeat() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=None)
