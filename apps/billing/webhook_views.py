"""POST /webhooks/stripe: 200 for a verified event (applied once), 400 for a bad signature or
body, JSON always, never 500 (an unexpected failure is a 503 Stripe retries)."""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .stripe_webhooks import WebhookRejected, receive

logger = logging.getLogger(__name__)


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
def stripe_webhook(request):
    if request.method != "POST":
        response = _error(405, "method_not_allowed", "Use POST.")
        response["Allow"] = "POST"
        return response
    try:
        result = receive(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except WebhookRejected as exc:
        return _error(exc.status, exc.code, exc.message)
    except Exception:
        logger.exception("stripe webhook failed")
        return _error(503, "unavailable", "The event could not be applied now; resend it.")
    return JsonResponse(result)
