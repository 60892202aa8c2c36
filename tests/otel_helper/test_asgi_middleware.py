"""qorrelate_otel.asgi.SessionIdASGIMiddleware around a bare ASGI app."""

import asyncio

from qorrelate_otel.asgi import SessionIdASGIMiddleware


def _app(captured, calls):
    async def app(scope, receive, send):
        calls.append(scope["type"])
        if scope["type"] == "http":
            with captured.tracer.start_as_current_span("endpoint"):
                captured.logger.info("asgi handled")
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

    return app


def _call(app, scope):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def _http(headers):
    return {"type": "http", "method": "GET", "path": "/", "headers": headers}


def test_the_x_session_id_header_reaches_spans_and_logs(captured):
    calls = []
    app = SessionIdASGIMiddleware(_app(captured, calls))

    sent = _call(app, _http([(b"x-session-id", b"s-asgi")]))

    assert sent[0]["status"] == 200
    assert captured.span_sessions() == {"endpoint": "s-asgi"}
    assert captured.log_sessions() == {"asgi handled": "s-asgi"}


def test_the_baggage_header_alone_is_enough(captured):
    app = SessionIdASGIMiddleware(_app(captured, []))

    _call(app, _http([(b"baggage", b"session.id=s-bag,tenant=1")]))

    assert captured.span_sessions() == {"endpoint": "s-bag"}


def test_lifespan_and_sessionless_requests_pass_through(captured):
    calls = []
    app = SessionIdASGIMiddleware(_app(captured, calls))

    _call(app, {"type": "lifespan"})
    _call(app, _http([]))

    assert calls == ["lifespan", "http"]
    assert captured.span_sessions() == {"endpoint": None}
