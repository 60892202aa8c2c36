"""The player shows the hard DOM: the hard DOM page (tests/recorder/pages/hard_dom.html) is
recorded by the real recorder into the live intake, with canvas recording on, and the session's
replay in the dashboard has the web component's shadow content styled by its adopted style sheet
(and what was typed into it, masked), the same-origin and the cross-origin iframe's documents,
and the 2D, WebGL and cross-origin frame's canvases painted with their pictures. Screenshot:
test-artifacts/player-hard-dom.png."""

import pytest

from apps.replay import selectors
from tests.dashboard.browser import dashboard_tab, open_session, stored_session
from tests.recorder.hard_dom import (
    CROSS_TEXT,
    FRAME_TEXT,
    SHADOW_TEXT,
    open_hard_dom,
    serve_hard_dom,
)
from tests.recorder.sites import Site, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
REPLAY = "document.querySelector('#player-stage iframe').contentDocument"
SHADOW = f"{REPLAY}.querySelector('x-card')?.shadowRoot?.querySelector('#shadow-text')"
SAME = f"{REPLAY}.querySelector('#same')?.contentDocument"
CROSS = f"{REPLAY}.querySelector('#cross')?.contentDocument"
# A canvas of the replay (in document `doc`): its box, and the colour [r, g, b, a] at the middle
# of the picture it shows. The replay frame runs no scripts, so a canvas shows its picture as its
# background (static/src/player/canvas.js); the picture is decoded here, in the player's page.
PICTURE = """async ([doc, id]) => {
  const c = doc && doc.getElementById(id);
  const url = c && /url\\("(data:[^"]+)"\\)/.exec(c.style.backgroundImage);
  if (!url) return null;
  const image = new Image();
  image.src = url[1];
  await image.decode();
  const scratch = document.createElement('canvas');
  scratch.width = image.width;
  scratch.height = image.height;
  const ctx = scratch.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const box = c.getBoundingClientRect();
  const pixel = ctx.getImageData(image.width / 2, image.height / 2, 1, 1).data;
  return { width: box.width, height: box.height, pixel: Array.from(pixel) };
}"""


def _stored_events(org, session_id):
    session = stored_session(org, session_id)
    return session, list(selectors.session_events(organization=org, session=session))


def _record(browser, live_server, org, replay_js) -> str:
    site, child_site = Site(lambda: replay_js), Site(lambda: replay_js)
    org.allowed_origins = [site.origin]
    org.save()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        url = serve_hard_dom(
            site,
            child_site,
            org_id=org.public_id,
            endpoint=live_server.url,
            flush_interval=200,
            record_canvas="true",
        )
        open_hard_dom(page, url)
        session_id = page.evaluate("qorrelate.getSessionId()")
        page.type("#shadow-name", "hdtyped1")  # inside the web component's shadow root
        page.click("h1")

        def stored_with_pictures():
            page.evaluate("qorrelate.flush()")
            events = _stored_events(org, session_id)[1]
            canvases = {e["data"]["id"] for e in events if e["data"].get("source") == 9}
            typed = any(e["data"].get("source") == 5 for e in events if e["type"] == 3)
            return len(canvases) >= 3 and typed and CROSS_TEXT in str(events)

        wait_until(page, stored_with_pictures, message="three canvas pictures at the intake")
        return session_id
    finally:
        context.close()
        site.close()
        child_site.close()


def test_the_player_shows_shadow_roots_both_kinds_of_iframe_and_canvas_pictures(
    browser, live_server, org_a, alice, built_assets, artifacts_dir
):
    session_id = _record(browser, live_server, org_a, (built_assets / "replay.js").read_bytes())
    session, _events = _stored_events(org_a, session_id)

    tab = dashboard_tab(browser, live_server.url, alice)
    open_session(tab, live_server.url, org_a, session_id, f"?t={session.end_ms - session.start_ms}")
    tab.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    tab.wait_for_function(f"() => {SHADOW}?.textContent.includes({SHADOW_TEXT!r})")
    tab.wait_for_function(f"() => {SAME}?.body?.innerText.includes({FRAME_TEXT!r})")
    tab.wait_for_function(f"() => {CROSS}?.body?.innerText.includes({CROSS_TEXT!r})")
    # What was typed inside the shadow root is replayed, masked (mask-inputs).
    tab.wait_for_function(
        f"() => {REPLAY}.querySelector('x-card').shadowRoot.querySelector('#shadow-name')"
        ".value === '********'"
    )
    # The adopted style sheet styles the shadow content in the replay too.
    assert tab.evaluate(f"() => getComputedStyle({SHADOW}).color") == "rgb(200, 30, 40)"
    # Each canvas is painted with its picture: red (2D), green (WebGL), blue (the frame's 2D).
    # WebP is lossy: each channel is near its colour.
    # The frame's canvas too, also when the page asked the frame for its document again (new
    # node ids in the page's recording) just before the session ended: the frame sends its
    # picture in the same task as that snapshot (tests/recorder/test_recorder_hard_dom.py).
    expected = [
        (REPLAY, "c2d", (255, 0, 0), (160, 80)),
        (REPLAY, "cgl", (0, 204, 0), (160, 80)),
        (CROSS, "cross-canvas", (0, 0, 255), (60, 30)),
    ]
    for doc, canvas, colour, size in expected:
        tab.wait_for_function(f"() => {doc}?.getElementById({canvas!r})?.style.backgroundImage")
        shown = tab.evaluate(f"() => ({PICTURE})([{doc}, {canvas!r}])")
        assert (shown["width"], shown["height"]) == size, (canvas, shown)
        # WebP is lossy: each channel is near its colour, and the picture is opaque.
        assert shown["pixel"][3] == 255, (canvas, shown)
        assert all(abs(a - b) <= 24 for a, b in zip(shown["pixel"][:3], colour, strict=True)), (
            canvas,
            shown,
        )
    tab.screenshot(path=str(artifacts_dir / "player-hard-dom.png"))
    assert tab.js_errors == []
