"""The article's three scenarios, played in Chromium against the demo shop.

Each function opens a fresh browser context (a new tab: a new replay session), plays one
scenario, stops the recorder (its last batch goes out) and returns the session id.
"""

import gzip
import time
from dataclasses import dataclass

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOUBLE_CLICK_GAP_S = 0.150


@dataclass
class Recorded:
    name: str
    session_id: str
    user: str


def _open(browser, shop_url: str, user: str, plan: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{shop_url}/checkout?user={user}&plan={plan}")
    page.wait_for_function("() => window.qorrelate && window.qorrelate.getSessionId()")
    page.wait_for_timeout(300)
    return context, page


def _fill(page, *, zip_code: str) -> None:
    page.click("#email")
    page.keyboard.type("customer@example.com", delay=15)
    page.fill("#name", "Maria Garcia")
    page.fill("#street", "1 Market St")
    page.fill("#city", "San Francisco")
    page.click("#zip")
    page.keyboard.type(zip_code, delay=40)
    page.fill("#card", "4242 4242 4242 4242")


def _is_ended_batch(response) -> bool:
    request = response.request
    if request.method != "POST" or "/ingest/v1/replay" not in request.url:
        return False
    body = request.post_data_buffer or b""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return b'"ended":true' in body


def stop_recording(page, *, timeout_ms: int = 60_000) -> None:
    """Stops the recorder and returns once the intake has answered its last batch (the one
    marked ended), however long a busy machine takes: closing the tab earlier could lose it."""
    with page.expect_response(_is_ended_batch, timeout=timeout_ms):
        page.evaluate("() => window.qorrelate.stop()")


def _finish(context, page) -> str:
    session_id = page.evaluate("() => window.qorrelate.getSessionId()")
    stop_recording(page)
    context.close()
    return session_id


def _double_click(page, gap_s: float) -> None:
    """Two real clicks ``gap_s`` apart. A click fires on mouse-up. The browser's clock and ours
    are the same wall clock, so the page tells us when the first click landed and how long a
    mouse event takes to arrive; the second mouse-up is sent to land ``gap_s`` after the first.
    """
    page.evaluate(
        """() => {
          window.__demoInput = {clicks: [], downs: []};
          addEventListener('click', () => __demoInput.clicks.push(Date.now()), true);
          addEventListener('mousedown', () => __demoInput.downs.push(Date.now()), true);
        }"""
    )
    page.mouse.down()
    page.mouse.up()
    sent_down = time.time()
    page.mouse.down()
    seen = page.evaluate("() => __demoInput")
    first_click = seen["clicks"][0] / 1000
    latency = max(0.0, seen["downs"][-1] / 1000 - sent_down)
    time.sleep(max(0.0, first_click + gap_s - latency - time.time()))
    page.mouse.up()


def invisible_error(browser, shop_url: str) -> Recorded:
    """Submit blocked by a client-side validation toast that disappears after 2 s."""
    context, page = _open(browser, shop_url, "maria.garcia", "pro")
    _fill(page, zip_code="941")
    page.wait_for_timeout(400)
    page.click("#place-order")
    page.wait_for_selector(".toast.error")
    page.wait_for_timeout(2600)  # the user reads on; the toast goes after 2 s
    page.wait_for_selector(".toast.error", state="hidden")  # (later on a busy machine)
    page.click("#place-order")
    page.wait_for_timeout(2600)
    page.mouse.move(640, 120)
    page.wait_for_timeout(600)
    return Recorded("The invisible error", _finish(context, page), "maria.garcia")


def double_click_race(browser, shop_url: str) -> Recorded:
    """ "Place order" clicked twice 150 ms apart: two orders, the second one a 500."""
    context, page = _open(browser, shop_url, "tom.becker", "team")
    _fill(page, zip_code="94105")
    page.wait_for_timeout(400)
    box = page.locator("#place-order").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    _double_click(page, DOUBLE_CLICK_GAP_S)
    page.wait_for_selector(".result.ok")
    page.wait_for_timeout(1500)
    return Recorded("The race condition", _finish(context, page), "tom.becker")


def slow_page(browser, shop_url: str) -> Recorded:
    """A heavy CSS animation that keeps the main thread busy: long tasks."""
    context, page = _open(browser, shop_url, "li.wei", "free")
    page.mouse.move(900, 300)
    page.click("#gift-wrap")
    page.wait_for_selector(".wrap-stage.done")
    page.wait_for_timeout(500)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    return Recorded("The slow page", _finish(context, page), "li.wei")


ALL = (invisible_error, double_click_race, slow_page)


def record_all(browser, shop_url: str) -> list[Recorded]:
    return [scenario(browser, shop_url) for scenario in ALL]
