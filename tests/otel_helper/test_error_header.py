"""A failed request's response says so (``X-Qorrelate-Error: 1``), for the recorder's replay on
error: 5xx, an error status on the span current in the middleware, or any span of the request
that ended with an error status, even when the app answers 200. In every middleware."""

import asyncio
from wsgiref.util import setup_testing_defaults

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from opentelemetry.trace import Status, StatusCode

from qorrelate_otel import ERROR_HEADER, ERROR_HEADER_VALUE
from qorrelate_otel.asgi import SessionIdASGIMiddleware
from qorrelate_otel.django import SessionIdMiddleware
from qorrelate_otel.request import exposed, with_error_header
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware

EXPOSE = "Access-Control-Expose-Headers"


def _work(captured, outcome):
    """What the view does: ``ok``, ``caught`` (a span fails, the view answers 200 anyway),
    ``500``, or ``marked`` (the server span is set to error, no child fails). Returns the
    status code."""
    if outcome == "caught":
        try:
            with captured.tracer.start_as_current_span("charge card"):
                raise RuntimeError("card declined")
        except RuntimeError:
            pass
    if outcome == "marked":
        from opentelemetry import trace

        trace.get_current_span().set_status(Status(StatusCode.ERROR, "marked"))
    return 500 if outcome == "500" else 200


def _wsgi(captured, outcome, *, server_span=False):
    def app(environ, start_response):
        code = _work(captured, outcome)
        start_response(f"{code} X", [("Content-Type", "text/plain")])
        return [b"body"]

    environ = {}
    setup_testing_defaults(environ)
    environ["HTTP_X_SESSION_ID"] = "s-err"
    seen = []
    middleware = SessionIdWSGIMiddleware(app)
    if server_span:
        with captured.tracer.start_as_current_span("GET /"):
            b"".join(middleware(environ, lambda status, headers: seen.append(headers)))
    else:
        b"".join(middleware(environ, lambda status, headers: seen.append(headers)))
    return dict(seen[0])


def _asgi(captured, outcome, *, server_span=False):
    async def app(scope, receive, send):
        code = _work(captured, outcome)
        await send({"type": "http.response.start", "status": code, "headers": [(b"a", b"1")]})
        await send({"type": "http.response.body", "body": b"body"})

    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    middleware = SessionIdASGIMiddleware(app)
    if server_span:
        with captured.tracer.start_as_current_span("GET /"):
            asyncio.run(middleware(scope, receive, send))
    else:
        asyncio.run(middleware(scope, receive, send))
    return {k.decode(): v.decode() for k, v in sent[0]["headers"]}


def _django(captured, outcome, *, server_span=False):
    def view(request):
        return HttpResponse("body", status=_work(captured, outcome))

    middleware = SessionIdMiddleware(view)
    request = RequestFactory().get("/")
    if server_span:
        with captured.tracer.start_as_current_span("GET /"):
            response = middleware(request)
    else:
        response = middleware(request)
    return dict(response.headers)


MIDDLEWARES = {"wsgi": _wsgi, "asgi": _asgi, "django": _django}


@pytest.mark.parametrize("kind", MIDDLEWARES)
def test_a_successful_request_has_no_error_header(captured, kind):
    headers = MIDDLEWARES[kind](captured, "ok")

    assert ERROR_HEADER not in headers
    assert EXPOSE not in headers


@pytest.mark.parametrize("kind", MIDDLEWARES)
def test_a_5xx_response_gets_the_error_header_and_exposes_it(captured, kind):
    headers = MIDDLEWARES[kind](captured, "500")

    assert headers[ERROR_HEADER] == ERROR_HEADER_VALUE == "1"
    assert headers[EXPOSE] == ERROR_HEADER


@pytest.mark.parametrize("kind", MIDDLEWARES)
def test_a_span_that_failed_inside_the_request_marks_a_200_response(captured, kind):
    headers = MIDDLEWARES[kind](captured, "caught")

    assert headers[ERROR_HEADER] == "1"
    assert captured.spans.get_finished_spans()[0].status.status_code is StatusCode.ERROR


@pytest.mark.parametrize("kind", MIDDLEWARES)
def test_a_server_span_set_to_error_marks_the_response(captured, kind):
    headers = MIDDLEWARES[kind](captured, "marked", server_span=True)

    assert headers[ERROR_HEADER] == "1"


def test_a_failed_span_outside_any_request_marks_nothing_later(captured):
    with pytest.raises(RuntimeError), captured.tracer.start_as_current_span("cron job"):
        raise RuntimeError("boom")

    assert ERROR_HEADER not in _wsgi(captured, "ok")


def test_the_header_is_added_once_and_joins_an_existing_expose_list():
    headers = with_error_header(
        [(EXPOSE.lower(), "X-Request-Id"), (ERROR_HEADER, "stale"), ("Content-Type", "text/plain")]
    )

    assert headers == [
        ("Content-Type", "text/plain"),
        (ERROR_HEADER, "1"),
        (EXPOSE, f"X-Request-Id, {ERROR_HEADER}"),
    ]
    assert exposed("x-qorrelate-error, X-Other") == "x-qorrelate-error, X-Other"
