"""Every API error is JSON: ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.

An unexpected exception is a JSON 500 carrying the request id (also in ``X-Request-ID`` and in
the logged traceback), so a report can be matched to the log line; URLs under ``/api/`` that
match nothing, and errors raised outside a view, are JSON too (``handler404``/``handler500``).
"""

import logging

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import DomainError

logger = logging.getLogger(__name__)


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        message = _first_message(value)
        return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response(
            {"error": {"code": exc.code, "message": exc.message}}, status=exc.status
        )
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("API request failed", exc_info=(type(exc), exc, exc.__traceback__))
        body = server_error_body(context.get("request"))
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _first_message(detail), "fields": detail}
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException) and hasattr(exc.detail, "code"):
            code = exc.detail.code or code
        body = {"code": code, "message": _first_message(detail)}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        body["code"] = "throttled"
    response.data = {"error": body}
    return response


def server_error_body(request) -> dict:
    # Set by qorrelate.request_id.RequestIdMiddleware on every request.
    request_id = getattr(request, "request_id", None) or "-"
    return {
        "error": {
            "code": "server_error",
            "message": f"Something went wrong on our side; quote request id {request_id} "
            "if you report it.",
            "request_id": request_id,
        }
    }


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        body = {"error": {"code": "not_found", "message": f"No endpoint at {request.path}."}}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(server_error_body(request), status=500)
    return defaults.server_error(request)
