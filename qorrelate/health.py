"""Liveness (/healthz) and readiness (/readyz: database, Redis and blob storage)."""

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    if not settings.REDIS_URL:
        return
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()


def _check_storage() -> None:
    from django.core.files.storage import storages

    storages["replay"].exists("healthcheck/ready")


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
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
