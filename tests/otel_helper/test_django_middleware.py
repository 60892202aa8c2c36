"""qorrelate_otel.django.SessionIdMiddleware in sync and async Django stacks."""

import asyncio

from django.http import HttpResponse
from django.test import RequestFactory

from qorrelate_otel import current_session_id
from qorrelate_otel.django import SessionIdMiddleware


def _view(captured, seen):
    def get_response(request):
        with captured.tracer.start_as_current_span("view"):
            captured.logger.info("handled")
        seen.append(request.qorrelate_session_id)
        return HttpResponse("ok")

    return get_response


def test_the_request_spans_and_logs_carry_the_x_session_id(captured):
    seen = []
    middleware = SessionIdMiddleware(_view(captured, seen))

    response = middleware(RequestFactory().get("/", HTTP_X_SESSION_ID="s-django"))

    assert response.status_code == 200
    assert captured.span_sessions() == {"view": "s-django"}
    assert captured.log_sessions() == {"handled": "s-django"}
    assert seen == ["s-django"]
    assert current_session_id() is None  # detached after the request


def test_a_span_started_before_the_middleware_gets_the_session_id_too(captured):
    # OpenTelemetry's Django instrumentation starts the server span in its own middleware,
    # which may sit in front of ours.
    middleware = SessionIdMiddleware(_view(captured, []))

    with captured.tracer.start_as_current_span("GET /"):
        middleware(RequestFactory().get("/", HTTP_BAGGAGE="session.id=s-baggage"))

    assert captured.span_sessions() == {"view": "s-baggage", "GET /": "s-baggage"}


def test_a_request_without_a_session_is_left_alone(captured):
    seen = []
    SessionIdMiddleware(_view(captured, seen))(RequestFactory().get("/"))

    assert captured.span_sessions() == {"view": None}
    assert seen == [None]


def test_the_middleware_works_in_an_async_stack(captured):
    async def get_response(request):
        await asyncio.sleep(0)
        with captured.tracer.start_as_current_span("async view"):
            captured.logger.info("async handled")
        return HttpResponse("ok")

    middleware = SessionIdMiddleware(get_response)
    assert asyncio.iscoroutinefunction(middleware)

    response = asyncio.run(middleware(RequestFactory().get("/", HTTP_X_SESSION_ID="s-async")))

    assert response.status_code == 200
    assert captured.span_sessions() == {"async view": "s-async"}
    assert captured.log_sessions() == {"async handled": "s-async"}
