"""POST /v1/traces and /v1/logs, as the OTLP/HTTP specification describes them.

Status codes: 200 (maybe with partial_success), 400 undecodable, 401 bad ingest key, 405 not
POST, 413 over the size limit, 415 content type or encoding not supported, 429 throttled or over
quota and 503 storage unavailable (both with Retry-After, so exporters retry). Never 500: an
unexpected failure is answered 503, which exporters retry, so nothing acknowledged is lost.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.views.decorators.csrf import csrf_exempt

from apps.billing.quota import QuotaExceeded
from apps.orgs.errors import AuthenticationFailed

from . import auth, throttle
from .body import BodyError, read_body
from .decode import JSON, PROTOBUF, DecodeError
from .pipeline import LOGS, TRACES, Signal, ingest
from .responses import error, success

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 20 * 1024 * 1024
STORAGE_RETRY_AFTER = 5
QUOTA_RETRY_AFTER = 60
_FORMATS = {"application/x-protobuf": PROTOBUF, "application/json": JSON}


def _format(request) -> str | None:
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return _FORMATS.get(content_type)


def _receive(request, signal: Signal):
    fmt = _format(request)
    if request.method != "POST":
        response = error(fmt or JSON, 405, "method_not_allowed", "Use POST.")
        response["Allow"] = "POST"
        return response
    if fmt is None:
        return error(
            JSON,
            415,
            "unsupported_media_type",
            "Content-Type must be application/x-protobuf or application/json.",
        )
    try:
        organization = auth.authenticate(request)
    except AuthenticationFailed as exc:
        return error(fmt, 401, exc.code, exc.message)
    wait = throttle.retry_after(organization_id=organization.pk)
    if wait is not None:
        return error(fmt, 429, "throttled", "Too many requests; retry later.", retry_after=wait)
    limit = getattr(settings, "OTLP_MAX_BODY_BYTES", MAX_BODY_BYTES)
    try:
        body = read_body(request, limit=limit)
        outcome = ingest(organization=organization, signal=signal, body=body, fmt=fmt)
    except BodyError as exc:
        return error(fmt, exc.status, exc.code, exc.message)
    except DecodeError as exc:
        return error(fmt, 400, "undecodable", str(exc))
    except QuotaExceeded as exc:
        retry = exc.retry_after if exc.retry_after is not None else QUOTA_RETRY_AFTER
        return error(fmt, 429, str(exc.reason), str(exc), retry_after=retry)
    except DatabaseError:
        logger.exception("OTLP %s storage failed", signal.name)
        return error(
            fmt,
            503,
            "unavailable",
            "Storage is unavailable; retry later.",
            retry_after=STORAGE_RETRY_AFTER,
        )
    return success(
        fmt, signal.response_class, signal.partial_field, outcome.rejected, outcome.error_message
    )


def _guarded(request, signal: Signal):
    try:
        return _receive(request, signal)
    except Exception:
        logger.exception("OTLP %s intake failed unexpectedly", signal.name)
        return error(
            _format(request) or JSON,
            503,
            "unavailable",
            "The request could not be processed; retry later.",
            retry_after=STORAGE_RETRY_AFTER,
        )


@csrf_exempt
def traces_view(request):
    return _guarded(request, TRACES)


@csrf_exempt
def logs_view(request):
    return _guarded(request, LOGS)
