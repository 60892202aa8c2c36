"""qorrelate_otel.wsgi.SessionIdWSGIMiddleware around a bare WSGI app."""

from wsgiref.util import setup_testing_defaults

from qorrelate_otel import current_session_id
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware


def _app(captured):
    def app(environ, start_response):
        with captured.tracer.start_as_current_span("wsgi view"):
            captured.logger.info("wsgi handled")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def _call(app, **headers):
    environ = {}
    setup_testing_defaults(environ)
    environ.update(headers)
    statuses = []
    body = b"".join(app(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body


def test_the_x_session_id_header_reaches_spans_and_logs(captured):
    status, body = _call(SessionIdWSGIMiddleware(_app(captured)), HTTP_X_SESSION_ID="s-wsgi")

    assert (status, body) == ("200 OK", b"ok")
    assert captured.span_sessions() == {"wsgi view": "s-wsgi"}
    assert captured.log_sessions() == {"wsgi handled": "s-wsgi"}
    assert current_session_id() is None


def test_the_baggage_header_alone_is_enough(captured):
    _call(SessionIdWSGIMiddleware(_app(captured)), HTTP_BAGGAGE="session.id=s-wsgi-bag")

    assert captured.span_sessions() == {"wsgi view": "s-wsgi-bag"}


def test_a_request_without_a_session_is_left_alone(captured):
    _call(SessionIdWSGIMiddleware(_app(captured)))

    assert captured.span_sessions() == {"wsgi view": None}
