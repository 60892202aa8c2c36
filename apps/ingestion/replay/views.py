"""``POST /ingest/v1/replay?org=<data-org-id>``: the recorder's batches (and their preflight).

Thin on purpose: each step is a function of its own module; every refusal is a JSON 4xx, and a
2xx is sent only once the batch is durably stored.
"""

import logging

import orjson
from botocore.exceptions import BotoCoreError, ClientError
from django.db import DatabaseError, DataError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from . import body, conf, cors, envelope, ratelimit
from .errors import IntakeError
from .organizations import organization_for
from .service import ingest_batch

logger = logging.getLogger(__name__)


@csrf_exempt
def replay_intake(request):
    origin = request.headers.get("Origin")
    reply_headers = cors.headers_for(origin)
    try:
        if request.method not in ("POST", "OPTIONS"):
            raise IntakeError(405, "method_not_allowed", "Send batches with POST.")
        organization = _organization(request)
        if request.method == "OPTIONS":
            # Answered for any origin: the POST that follows is where a disallowed origin is
            # refused, with a reply the recorder can read, so it stops and says why instead of
            # retrying a request the browser failed opaquely.
            response = HttpResponse(status=204)
            for name, value in cors.preflight_headers(origin or "*").items():
                response[name] = value
            return response
        cors.check_origin(organization, origin)
        wait = ratelimit.retry_after(organization_id=organization.pk)
        if wait is not None:
            raise IntakeError(
                429, "rate_limited", "Too many batches for this organization.", retry_after=wait
            )
        body.check_content_type(request.content_type or request.META.get("CONTENT_TYPE", ""))
        raw = body.decode_body(body.read_body(request), request.headers.get("Content-Encoding", ""))
        incoming = envelope.parse(raw, org_public_id=organization.public_id)
        del raw
        stored = ingest_batch(organization=organization, incoming=incoming)
    except IntakeError as exc:
        return _error(exc, reply_headers)
    except DataError:
        # Something in the batch the database cannot hold (and validation did not foresee): the
        # client's fault, so final, not a retry loop.
        logger.exception("replay intake: batch refused by the database")
        error = IntakeError(
            400, "invalid_batch", "The batch contains values that cannot be stored."
        )
        return _error(error, reply_headers)
    except (DatabaseError, OSError, BotoCoreError, ClientError):
        logger.exception("replay intake: storage unavailable")
        retry = conf.get("REPLAY_UNAVAILABLE_RETRY_AFTER")
        error = IntakeError(503, "unavailable", "Storage is unavailable; retry.", retry_after=retry)
        return _error(error, reply_headers)
    response = _json(
        {
            "ok": True,
            "session_id": incoming.session_id,
            "seq": incoming.seq,
            "duplicate": stored.duplicate,
        }
    )
    for name, value in reply_headers.items():
        response[name] = value
    return response


def _organization(request):
    public_id = request.GET.get("org", "").strip()
    if not public_id:
        raise IntakeError(400, "missing_org", "Add ?org=<data-org-id> to the intake URL.")
    organization = organization_for(public_id[:40])
    if organization is None:
        raise IntakeError(
            404, "unknown_organization", f"No organization has the data-org-id {public_id:.40}."
        )
    return organization


def _json(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(payload), status=status, content_type="application/json")


def _error(exc: IntakeError, headers: dict[str, str]) -> HttpResponse:
    response = _json({"error": {"code": exc.code, "message": exc.message}}, status=exc.status)
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    for name, value in headers.items():
        response[name] = value
    return response
