"""Alerts fixtures: insights made with the models (a session row per affected session), and a
real HTTP server on 127.0.0.1 that records what it receives and answers as told."""

import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.insights.models import Finding, Insight, Severity
from apps.replay.models import Session
from tests.replay.fixtures import post_batch  # noqa: F401


def now_ms() -> int:
    return int(time.time() * 1000)


def make_session(organization, *, at_ms: int | None = None) -> Session:
    at_ms = at_ms or now_ms()
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    return Session.objects.create(
        organization=organization,
        session_id=uuid.uuid4().hex,
        started_at=moment,
        last_seen_at=moment,
        start_ms=at_ms,
        end_ms=at_ms + 1000,
    )


def make_insight(
    organization,
    *,
    kind="double_submit",
    severity=Severity.HIGH,
    page="/checkout",
    sessions=1,
    at_ms: int | None = None,
) -> Insight:
    """An insight with one finding in each of ``sessions`` new sessions, seen at ``at_ms``."""
    at_ms = at_ms or now_ms()
    moment = datetime.fromtimestamp(at_ms / 1000, tz=UTC)
    insight = Insight.objects.create(
        organization=organization,
        kind=kind,
        fingerprint=uuid.uuid4().hex,
        page=page,
        element_selector="button#place-order",
        element_text="Place order",
        title="Clicked 'Place order' twice 181 ms apart; the second returned 500.",
        severity=severity,
        first_seen_at=moment,
        last_seen_at=moment,
    )
    add_sessions(insight, sessions, at_ms=at_ms)
    return insight


def add_sessions(insight: Insight, count: int, *, at_ms: int | None = None) -> None:
    at_ms = at_ms or now_ms()
    for _ in range(count):
        session = make_session(insight.organization, at_ms=at_ms)
        Finding.objects.create(
            organization=insight.organization,
            session=session,
            insight=insight,
            kind=insight.kind,
            severity=insight.severity,
            ts_ms=at_ms,
            offset_ms=0,
            sentence=insight.title,
        )
    insight.session_count = (
        Finding.objects.filter(insight=insight).values("session").distinct().count()
    )
    insight.finding_count = Finding.objects.filter(insight=insight).count()
    insight.save(update_fields=["session_count", "finding_count"])


class Receiver:
    """What the server got (method, path, headers, body) and the statuses it answers with,
    one per request (the last one repeats)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses = [200]
        self.server = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/qorrelate"


@pytest.fixture
def webhook_receiver():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.requests.append(
                {"path": self.path, "headers": dict(self.headers.items()), "body": body}
            )
            index = min(len(receiver.requests), len(receiver.statuses)) - 1
            self.send_response(receiver.statuses[index])
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def eager_celery():
    """Tasks run in the test's process (retries too, without their countdown)."""
    from qorrelate.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
