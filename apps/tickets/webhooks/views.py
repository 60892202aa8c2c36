"""``POST /webhooks/helpdesk/<public id>``: public, authenticated by the HMAC signature only.
Every answer is JSON; a refused delivery changes nothing."""

import logging
import re

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from apps.core.errors import DomainError

from .. import selectors
from . import signatures
from .adapters import parse
from .deliver import deliver

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
_PUBLIC_ID = re.compile(r"^hd_[0-9a-f]{24}$")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
def helpdesk_webhook(request, public_id: str):
    if request.method != "POST":
        response = _error(405, "method_not_allowed", "Send webhooks with POST.")
        response["Allow"] = "POST"
        return response
    integration = (
        selectors.integration_by_public_id(public_id=public_id)
        if _PUBLIC_ID.match(public_id)
        else None
    )
    if integration is None:
        return _error(404, "unknown_integration", "No enabled integration has this webhook URL.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _error(413, "too_large", f"Webhook bodies are at most {MAX_BODY_BYTES} bytes.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "too_large", f"Webhook bodies are at most {MAX_BODY_BYTES} bytes.")
    try:
        signature = signatures.verify(
            integration=integration, headers=request.headers, body=body, now=timezone.now()
        )
        signatures.remember(integration=integration, signature=signature)
    except DomainError as exc:
        logger.warning(
            "helpdesk webhook refused",
            extra={"integration_id": integration.pk, "reason": exc.code},
        )
        return _error(exc.status, exc.code, exc.message)
    try:
        result = deliver(integration=integration, event=parse(integration.kind, _json(body)))
    except DomainError as exc:
        # A rejected payload may be fixed and re-sent with the same signature's successor;
        # forgetting this one keeps an honest retry of a failed delivery possible.
        signatures.forget(integration=integration, signature=signature)
        return _error(exc.status, exc.code, exc.message)
    except Exception:
        signatures.forget(integration=integration, signature=signature)
        raise
    return JsonResponse({"ok": True, **result})


def _json(body: bytes):
    from .adapters import MalformedPayload

    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedPayload(f"The body is not JSON: {exc}.") from None
