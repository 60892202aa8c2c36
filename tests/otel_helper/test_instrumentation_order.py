"""Flask's and Django's OpenTelemetry instrumentations rebuild the context from the request's
headers (``context.attach(extract(headers))``) after the helper's middleware ran. The session
that came as ``X-Session-ID`` survives that: the middleware writes it into the request's
``baggage`` header too."""

import asyncio
from wsgiref.util import setup_testing_defaults

from django.http import HttpResponse
from django.test import RequestFactory
from opentelemetry import context, propagate

from qorrelate_otel.asgi import SessionIdASGIMiddleware
from qorrelate_otel.django import SessionIdMiddleware
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware


def _like_an_instrumentation(captured, carrier):
    """What the instrumentations' request hooks do: a fresh context from the headers."""
    token = context.attach(propagate.extract(carrier))
    try:
        with captured.tracer.start_as_current_span("view"):
            captured.logger.info("handled")
    finally:
        context.detach(token)


def test_a_wsgi_app_that_re_extracts_the_context_keeps_the_session(captured):
    def app(environ, start_response):
        _like_an_instrumentation(captured, {"baggage": environ.get("HTTP_BAGGAGE", "")})
        start_response("200 OK", [])
        return [b""]

    environ = {}
    setup_testing_defaults(environ)
    environ.update(HTTP_X_SESSION_ID="s-order", HTTP_BAGGAGE="plan=pro")
    b"".join(SessionIdWSGIMiddleware(app)(environ, lambda status, headers: None))

    assert captured.span_sessions() == {"view": "s-order"}
    assert captured.log_sessions() == {"handled": "s-order"}


def test_an_asgi_app_that_re_extracts_the_context_keeps_the_session(captured):
    async def app(scope, receive, send):
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        _like_an_instrumentation(captured, headers)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        pass

    scope = {"type": "http", "headers": [(b"x-session-id", b"s-order"), (b"baggage", b"a=1")]}
    asyncio.run(SessionIdASGIMiddleware(app)(scope, receive, send))

    assert captured.span_sessions() == {"view": "s-order"}


def test_a_django_view_that_re_extracts_the_context_keeps_the_session(captured):
    def view(request):
        assert request.headers["baggage"] == "session.id=s-order"
        _like_an_instrumentation(captured, {"baggage": request.META["HTTP_BAGGAGE"]})
        return HttpResponse("ok")

    SessionIdMiddleware(view)(RequestFactory().get("/", HTTP_X_SESSION_ID="s-order"))

    assert captured.span_sessions() == {"view": "s-order"}


def test_a_span_that_fails_after_the_context_was_re_extracted_still_marks_the_response(captured):
    def app(environ, start_response):
        token = context.attach(propagate.extract({}))
        try:
            with captured.tracer.start_as_current_span("charge card"):
                raise RuntimeError("declined")
        except RuntimeError:
            pass
        finally:
            context.detach(token)
        start_response("200 OK", [])
        return [b""]

    environ = {}
    setup_testing_defaults(environ)
    seen = []
    b"".join(SessionIdWSGIMiddleware(app)(environ, lambda status, headers: seen.append(headers)))

    assert ("X-Qorrelate-Error", "1") in seen[0]
