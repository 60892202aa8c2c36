"""Replay on error end to end: a shop backend using the Python helper (qorrelate_otel's WSGI
middleware) fails a request with a 500; the helper's X-Qorrelate-Error header makes the
recorder upload its buffer to the real intake, and the session plays in the dashboard."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from apps.replay import selectors
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware
from tests.dashboard.browser import dashboard_tab, open_session, stored_session
from tests.recorder.sites import page_html, recorder_tag, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
PAGE = """<h1 id="title">Checkout</h1><button id="pay">Pay</button><p id="msg"></p>
<script>
  document.getElementById('pay').onclick = () => {
    document.getElementById('msg').textContent = 'Paying…';
    fetch('/api/pay', {method: 'POST'}).then((r) => {
      document.getElementById('msg').textContent = r.ok ? 'Paid' : 'Something went wrong';
    });
  };
</script>"""


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Shop:
    """The customer's app: its page with the recorder tag, and an API that fails."""

    def __init__(self, replay_js: bytes, tag_attrs: dict):
        self.replay_js = replay_js
        self.tag_attrs = tag_attrs
        self.server = make_server(
            "127.0.0.1", 0, SessionIdWSGIMiddleware(self.app), handler_class=_Quiet
        )
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/static/replay.js":
            start_response("200 OK", [("Content-Type", "text/javascript")])
            return [self.replay_js]
        if path == "/api/pay":
            start_response("500 Internal Server Error", [("Content-Type", "application/json")])
            return [b'{"error": "card declined"}']
        tag = recorder_tag(self.origin + "/static/replay.js", **self.tag_attrs)
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page_html(PAGE, script=tag).encode()]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_backend_500_through_the_python_helper_uploads_the_buffer_and_the_session_plays(
    browser, live_server, org_a, alice, built_assets
):
    shop = Shop(
        (built_assets / "replay.js").read_bytes(),
        {
            "org_id": org_a.public_id,
            "endpoint": live_server.url,
            "record": "on-error",
            "flush_interval": 200,
        },
    )
    org_a.allowed_origins = [shop.origin]
    org_a.save()
    intake_calls = []
    context = browser.new_context()
    page = context.new_page()
    page.on(
        "request", lambda r: intake_calls.append(r.url) if "/ingest/v1/replay" in r.url else None
    )
    try:
        page.goto(shop.origin + "/checkout")
        page.wait_for_function("() => window.qorrelate && window.qorrelate.version")
        session_id = page.evaluate("qorrelate.getSessionId()")
        page.evaluate("() => { document.getElementById('title').textContent = 'Checkout (2)'; }")
        # The page's own successful loads and changes upload nothing: shown by a request that
        # does go out after them (the page's failing one) being the first to reach the intake.
        assert intake_calls == []
        page.click("#pay")
        wait_until(page, lambda: intake_calls, message="the buffer's upload")
        session = stored_session(org_a, session_id)
    finally:
        context.close()
        shop.close()

    events = list(selectors.session_events(organization=org_a, session=session))
    network = [
        e["data"]["payload"]
        for e in events
        if e["type"] == 5 and e["data"]["tag"] == "qorrelate.network"
    ]
    assert network and network[0]["status"] == 500 and network[0]["backend_error"] is True
    assert 2 in [e["type"] for e in events], "the upload has the full snapshot to replay from"

    tab = dashboard_tab(browser, live_server.url, alice)
    open_session(tab, live_server.url, org_a, session_id)
    tab.wait_for_function(
        "() => document.querySelector('#player-stage iframe').contentDocument"
        ".body?.innerText.includes('Checkout (2)')"
    )
    tab.click("[data-tab=network]")
    assert "500" in tab.locator("[data-pane=network] .entry").first.inner_text()
    assert tab.js_errors == []
