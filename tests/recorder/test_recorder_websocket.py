"""WebSocket messages: recorded only with network details on and the separate
data-network-websocket="on" opt-in, for sockets to allowed URLs; each message redacted and
capped like a request body; the page's socket works as before either way."""

import pytest

from .sites import wait_until
from .wsecho import EchoServer

CARD = "4111 1111 1111 1111"
PAGE = """<p id=out></p><script>
  window.talk = (url, messages) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    const got = [];
    ws.onopen = () => messages.forEach((m) => ws.send(m));
    ws.onmessage = (e) => {
      got.push(typeof e.data === 'string' ? e.data : '[binary]');
      if (got.length === messages.length) { ws.close(1000); }
    };
    ws.onclose = () => resolve(got);
  });
</script>"""
SECRET_MESSAGE = '{"password": "hunter2-secret", "card": "' + CARD + '", "note": "hello"}'


@pytest.fixture
def echo():
    server = EchoServer()
    yield server
    server.close()


def _talk(page, echo, messages):
    got = page.evaluate("([url, m]) => talk(url, m)", [echo.url, messages])
    assert got == messages, "the page's socket works as before"
    page.evaluate("qorrelate.flush()")


def test_with_the_opt_in_messages_are_recorded_redacted_and_capped(recorder_page, site, page, echo):
    recorder_page(PAGE, network_details=f"http://127.0.0.1:{echo.port}/*", network_websocket="on")
    page.wait_for_function("() => window.WebSocket.__qorrelate === true")
    big = "x" * (70 * 1024)
    _talk(page, echo, [SECRET_MESSAGE, big])

    entries = wait_until(
        page,
        lambda: (
            [e for e in site.intake.custom("qorrelate.websocket") if e["direction"] == "close"]
            and site.intake.custom("qorrelate.websocket")
        ),
        message="the socket's close",
    )
    directions = [e["direction"] for e in entries]
    assert directions == ["open", "send", "send", "receive", "receive", "close"]
    assert entries[-1]["code"] == 1000 and entries[-1]["skipped"] == 0
    assert all(e["url"] == echo.url for e in entries)
    sent = next(e for e in entries if e["direction"] == "send")["message"]
    assert "hello" in sent["body"] and sent["truncated"] is False
    capped = [e["message"] for e in entries if e["direction"] == "receive"][1]
    assert capped["truncated"] is True and capped["size"] == 70 * 1024
    assert capped["body"].endswith("…[truncated by Qorrelate]")
    assert len(capped["body"]) < 66 * 1024
    raw = site.intake.raw_text()
    assert "hunter2-secret" not in raw and CARD not in raw
    assert SECRET_MESSAGE.encode() in echo.received, "the server got the page's real message"


def test_without_the_opt_in_no_message_is_recorded(recorder_page, site, page, echo):
    recorder_page(PAGE, network_details=f"http://127.0.0.1:{echo.port}/*")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some((e) => e.name.endsWith('replay-network.js'))"
    )
    _talk(page, echo, ["hello-not-recorded"])
    page.evaluate("qorrelate.event('after', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert site.intake.custom("qorrelate.websocket") == []
    assert "hello-not-recorded" not in site.intake.raw_text()
    assert page.evaluate("window.WebSocket.__qorrelate") is None


def test_the_opt_in_alone_without_network_details_records_nothing(recorder_page, site, page, echo):
    recorder_page(PAGE, network_websocket="on")
    _talk(page, echo, ["hello-not-recorded"])
    page.evaluate("qorrelate.event('after', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert site.intake.custom("qorrelate.websocket") == []
    assert "hello-not-recorded" not in site.intake.raw_text()


def test_a_socket_to_a_url_not_on_the_allow_list_is_not_recorded(recorder_page, site, page, echo):
    recorder_page(PAGE, network_details="/api/*", network_websocket="on")
    page.wait_for_function("() => window.WebSocket.__qorrelate === true")
    _talk(page, echo, ["hello-not-recorded"])
    page.evaluate("qorrelate.event('after', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert site.intake.custom("qorrelate.websocket") == []
