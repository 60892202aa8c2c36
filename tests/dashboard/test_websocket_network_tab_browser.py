"""WebSocket messages end to end: a shop page that opted in (network details and
data-network-websocket="on") talks to an echo server; the messages reach the real intake
redacted, and the session page's Network tab shows them beside the page's requests."""

import pytest

from apps.replay.models import Batch
from apps.replay.storage import blobs
from tests.dashboard.browser import dashboard_tab, open_session, recording_shop, stored_session
from tests.recorder.sites import page_html, wait_until
from tests.recorder.wsecho import EchoServer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
PAGE = """<h1>Support chat</h1><script>
  window.chat = (url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send('{"text": "where is my order?", "password": "hunter2-secret"}');
    ws.onmessage = () => ws.close(1000);
    ws.onclose = () => resolve(true);
  });
</script>"""


def test_websocket_messages_are_shown_in_the_network_tab_redacted(
    browser, live_server, org_a, alice, built_assets, tmp_path
):
    echo = EchoServer()
    shop, tag = recording_shop(
        built_assets,
        live_server,
        org_a,
        network_details=f"http://127.0.0.1:{echo.port}/*",
        network_websocket="on",
    )
    shop.add_page("/chat", page_html(PAGE, script=tag))
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(shop.url("/chat"))
        page.wait_for_function("() => window.WebSocket.__qorrelate === true")
        session_id = page.evaluate("qorrelate.getSessionId()")
        page.evaluate("(url) => chat(url)", echo.url)
        page.evaluate("qorrelate.flush()")
        session = stored_session(org_a, session_id)
        wait_until(
            page,
            lambda: (
                b'"direction":"close"'
                in b"".join(
                    blobs.get(k)
                    for k in Batch.objects.filter(session=session).values_list("key", flat=True)
                )
            ),
            message="the socket's entries stored",
        )
    finally:
        context.close()
        shop.close()
        echo.close()

    stored = b"".join(
        blobs.get(k) for k in Batch.objects.filter(session=session).values_list("key", flat=True)
    )
    assert b"hunter2-secret" not in stored and b"where is my order?" in stored

    tab = dashboard_tab(browser, live_server.url, alice)
    open_session(tab, live_server.url, org_a, session_id)
    tab.click("[data-tab=network]")
    entries = tab.locator("[data-pane=network] .entry")
    tab.wait_for_function(
        "() => [...document.querySelectorAll('[data-pane=network] .entry')]"
        ".some((e) => e.innerText.includes('sent'))"
    )
    texts = [entries.nth(i).inner_text() for i in range(entries.count())]
    sent = next(t for t in texts if "↑ sent" in t)
    assert "WS" in sent and "/echo" in sent
    assert any("↓ received" in t for t in texts) and any("closed" in t for t in texts)
    tab.locator("[data-pane=network] .entry:has-text('↑ sent') summary").click()
    message = tab.locator("[data-pane=network] .entry:has-text('↑ sent') .net-body").inner_text()
    assert "where is my order?" in message and "[redacted]" in message
    assert "hunter2" not in tab.inner_text("[data-pane=network]")
    tab.screenshot(path=str(tmp_path / "websocket-network-tab.png"), full_page=True)
    assert tab.js_errors == []
