"""Local web servers for the recorder's browser tests: no Django needed.

A ``Site`` is a small threaded HTTP server on 127.0.0.1 with a random port (one origin). It
serves the built replay.js, test pages, an echo API that remembers the headers it received, and
an intake that decodes (gunzips) every batch the recorder uploads and answers with scripted
replies. Two sites on two ports are two origins: the page's own and a third party.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

INTAKE_PATH = "/ingest/v1/replay"
# The optional chunks replay.js loads from beside itself (replay-network.js…), as built.
DIST = Path(__file__).resolve().parents[2] / "static" / "dist"


@dataclass
class Upload:
    """One request the recorder made to the intake, decoded."""

    status: int
    query: dict
    headers: dict
    compressed: bool
    text: str
    payload: dict | None = None

    @property
    def seq(self):
        return self.payload["seq"] if self.payload else None


@dataclass
class ApiCall:
    method: str
    path: str
    headers: dict
    body: bytes = b""


@dataclass
class Intake:
    """Receives batches. ``reply(...)`` queues answers for the next uploads (default 200)."""

    uploads: list[Upload] = field(default_factory=list)
    replies: deque = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, status: int, body: dict | None = None, headers: dict | None = None, times=1):
        for _ in range(times):
            self.replies.append((status, body or {}, headers or {}))

    def accepted(self) -> list[dict]:
        """Payloads answered with 200, once per (session_id, window_id, seq) as the real intake
        stores them."""
        seen, out = set(), []
        with self.lock:
            for up in self.uploads:
                if up.status != 200:
                    continue
                key = (up.payload["session_id"], up.payload.get("window_id"), up.payload["seq"])
                if up.status == 200 and key not in seen:
                    seen.add(key)
                    out.append(up.payload)
        return out

    def events(self) -> list[dict]:
        return [event for batch in self.accepted() for event in batch["events"]]

    def custom(self, tag: str) -> list[dict]:
        return [
            e["data"]["payload"]
            for e in self.events()
            if e["type"] == 5 and e["data"].get("tag") == tag
        ]

    def raw_text(self) -> str:
        """Everything the recorder sent, decoded, accepted or not: for "never leaves" checks."""
        with self.lock:
            return "\n".join(up.text for up in self.uploads)


class _Handler(BaseHTTPRequestHandler):
    site: Site  # set on the subclass made per server

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _cors(self):
        origin = self.headers.get("Origin")
        self.send_header("Access-Control-Allow-Origin", origin or "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        self.send_header("Access-Control-Max-Age", "600")

    def _send(self, status, body: bytes, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self._cors()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_OPTIONS(self):  # noqa: N802 - http.server's naming
        self.site.preflights.append(ApiCall("OPTIONS", self.path, dict(self.headers.items())))
        self._send(204, b"")

    def do_GET(self):  # noqa: N802
        self._route("GET")

    def do_POST(self):  # noqa: N802
        self._route("POST")

    def do_PUT(self):  # noqa: N802
        self._route("PUT")

    def _route(self, method):
        url = urlsplit(self.path)
        if url.path == INTAKE_PATH and method == "POST":
            return self._intake(url)
        body = self._body()
        if url.path.startswith("/api/"):
            headers = {k.lower(): v for k, v in self.headers.items()}
            with self.site.api_lock:
                self.site.api_calls.append(ApiCall(method, url.path, headers, body))
                status, latency = self.site.api_reply(method, url.path)
            if url.path in self.site.api_replies:
                status, reply, reply_headers = self.site.api_replies[url.path]
                return self._send(status, reply, headers=reply_headers)
            if latency:
                # The simulated backend's own latency (this server thread), not a test's wait.
                time.sleep(latency)
            return self._send(status, json.dumps({"ok": status < 400, "path": url.path}).encode())
        if url.path == "/static/replay.js":
            return self._send(200, self.site.script(), "text/javascript")
        chunk = DIST / url.path.removeprefix("/static/")
        if url.path.startswith("/static/replay-") and chunk.is_file():
            return self._send(200, chunk.read_bytes(), "text/javascript")
        if url.path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        page = self.site.pages.get(url.path)
        if page is not None:
            return self._send(200, page.encode(), "text/html; charset=utf-8")
        return self._send(404, b'{"error": "not found"}')

    def _intake(self, url):
        raw = self._body()
        compressed = raw[:2] == b"\x1f\x8b"
        text = (gzip.decompress(raw) if compressed else raw).decode("utf-8")
        intake = self.site.intake
        with intake.lock:
            status, body, headers = intake.replies.popleft() if intake.replies else (200, {}, {})
            try:
                payload = json.loads(text)
            except ValueError:
                payload, status = None, 400
            intake.uploads.append(
                Upload(
                    status=status,
                    query=parse_qs(url.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    compressed=compressed,
                    text=text,
                    payload=payload,
                )
            )
        if status == 200 and not body:
            body = {"ok": True, "session_id": payload["session_id"], "seq": payload["seq"]}
        self._send(status, json.dumps(body).encode(), headers=headers)


class Site:
    def __init__(self, script_source):
        self.script = script_source
        self.pages: dict[str, str] = {}
        self.api_calls: list[ApiCall] = []
        self.api_lock = threading.Lock()
        # (method, path) -> (status, latency in seconds) of the site's API; a test replaces it
        # to script failures or a slow backend.
        self.api_reply = lambda method, path: (200, 0.0)
        self.preflights: list[ApiCall] = []
        # path → (status, body bytes, headers): what the API answers there instead of its echo.
        self.api_replies: dict[str, tuple[int, bytes, dict]] = {}
        self.intake = Intake()
        handler = type("Handler", (_Handler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def add_page(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.url(path)

    def calls_to(self, path: str) -> list[ApiCall]:
        return [c for c in self.api_calls if c.path == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def recorder_tag(src: str, **attrs) -> str:
    """``<script src=... data-org-id=...>``; keyword ``org_id="x"`` becomes ``data-org-id="x"``,
    a value of None leaves the attribute out."""
    rendered = "".join(
        f' data-{name.replace("_", "-")}="{value}"'
        for name, value in attrs.items()
        if value is not None
    )
    return f'<script src="{src}"{rendered}></script>'


def page_html(body: str, *, head: str = "", script: str = "") -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Recorder test</title>"
        f"{script}{head}</head><body>{body}</body></html>"
    )


def wait_until(page, predicate, timeout: float = 60.0, message: str = "condition"):
    """Polls ``predicate()`` while letting Playwright process browser events."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
