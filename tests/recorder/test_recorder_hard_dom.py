"""The hard DOM in the recording: open shadow roots with adopted style sheets, same-origin and
cross-origin iframes (one session: the frame's recorder posts to the page's), 2D and WebGL
canvas as image snapshots (opt-in, from the replay-canvas.js chunk), and no canvas at all in
mask-all."""

import json

import pytest

from .conftest import ORG_ID
from .hard_dom import (
    CROSS_TEXT,
    FRAME_TEXT,
    SHADOW_TEXT,
    child_frame,
    open_hard_dom,
    serve_hard_dom,
)
from .sites import Site, wait_until


@pytest.fixture
def child_site(replay_js):
    server = Site(lambda: replay_js)
    yield server
    server.close()


def _record(site, child_site, page, **attrs):
    attrs = {"org_id": ORG_ID, "flush_interval": 200, **attrs}
    open_hard_dom(page, serve_hard_dom(site, child_site, **attrs))
    return page


@pytest.mark.parametrize(
    "setup",
    [
        {"frame_origins": "https://widgets.example"},  # the page does not list the frame's origin
        {"privacy_mode": "mask-inputs", "frame_mode": "mask-sensitive"},  # the frame masks less
    ],
    ids=["unlisted origin", "weaker privacy mode"],
)
def test_a_frame_of_an_unlisted_origin_or_masking_less_than_the_page_is_not_recorded(
    site, child_site, page, setup
):
    _record(site, child_site, page, **setup)
    frame = child_frame(page)
    frame.type("#cross-input", "hdtypedcross1")
    # The frame's events are posted before the page's marker: they are in by then, or never.
    frame.evaluate("qorrelate.event('frame done', {})")
    sent = "\n".join(json.dumps(e) for e in _done(page, site))
    assert SHADOW_TEXT in sent and FRAME_TEXT in sent  # the page itself is recorded
    assert CROSS_TEXT not in sent and "frame done" not in sent and "hdtypedcross1" not in sent
    assert child_site.intake.uploads == []


def _done(page, site):
    page.evaluate("qorrelate.event('done', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the marker event")
    return site.intake.events()


def _canvas_events(events):
    return [e for e in events if e["type"] == 3 and e["data"].get("source") == 9]


def _node_ids(events, predicate):
    """Ids of serialized nodes (in snapshots and added by mutations) that match."""
    found = []

    def walk(node):
        if predicate(node):
            found.append(node["id"])
        for child in node.get("childNodes", []):
            walk(child)

    for e in events:
        if e["type"] == 2:
            walk(e["data"]["node"])
        elif e["type"] == 3 and e["data"].get("source") == 0:
            for add in e["data"]["adds"]:
                walk(add["node"])
    return found


def _pictured(events):
    return {
        e["data"]["id"]
        for e in _canvas_events(events)
        if e["data"]["commands"][-1]["args"][0]["src"].startswith("data:image/webp")
    }


def _latest_canvases(events):
    """Canvas ids of the page's last full snapshot and of the cross-origin frame's last one (a
    frame's snapshot reaches the page as a mutation that attaches its document)."""
    is_canvas = lambda n: n.get("tagName") == "canvas"  # noqa: E731
    page = [e for e in events if e["type"] == 2][-1:]
    frame = [e for e in events if e["type"] == 3 and e["data"].get("isAttachIframe")]
    frame = [e for e in frame if _node_ids([e], is_canvas)][-1:]
    return _node_ids(page, is_canvas), _node_ids(frame, is_canvas)


def test_shadow_roots_adopted_style_sheets_and_both_kinds_of_iframe_are_in_one_session(
    site, child_site, page
):
    _record(site, child_site, page)
    page.type("#shadow-password", "hdsecret1")  # Playwright's CSS selectors pierce shadow roots
    page.type("#shadow-name", "hdtyped1")
    page.click("h1")  # the field's change: the recorder records a value once it is done
    child_frame(page).type("#cross-input", "hdtypedcross1")
    wait_until(page, lambda: CROSS_TEXT in site.intake.raw_text(), message="the frame's snapshot")
    events = _done(page, site)
    sent = site.intake.raw_text()

    assert SHADOW_TEXT in sent and FRAME_TEXT in sent and CROSS_TEXT in sent
    # The shadow root's nodes are marked as such, and its constructed style sheet is recorded.
    assert _node_ids(events, lambda n: n.get("isShadowHost"))
    assert _node_ids(events, lambda n: n.get("isShadow"))
    assert any(
        e["type"] == 3 and e["data"].get("source") == 15 and "rgb(200, 30, 40)" in json.dumps(e)
        for e in events
    )
    # What was typed inside the shadow root is recorded (a change there never reaches rrweb's
    # listener on the document), masked as in any field (mask-inputs); also in the frame.
    fields = _node_ids(events, lambda n: n.get("attributes", {}).get("id") == "shadow-name")
    typed = [e["data"]["text"] for e in events if e["data"].get("source") == 5]
    assert any(e["data"].get("id") in fields for e in events if e["data"].get("source") == 5)
    assert typed and set(typed) == {"********"}
    assert "hdsecret1" not in sent and "hdtyped1" not in sent and "hdtypedcross1" not in sent
    # One session: the frame uploaded nothing of its own (its site's intake got no batch) and
    # every batch has the page's session id.
    assert child_site.intake.uploads == []
    assert {u.payload["session_id"] for u in site.intake.uploads} == {
        page.evaluate("qorrelate.getSessionId()")
    }
    # Text inside qorrelate-mask in the same-origin frame is masked there too.
    assert "Masked in the frame" not in sent


def test_the_cross_origin_frame_tags_its_requests_with_the_page_session(site, child_site, page):
    _record(site, child_site, page)
    session_id = page.evaluate("qorrelate.getSessionId()")
    frame = child_frame(page)

    def tagged_with_the_page_session():
        frame.evaluate("fetch('/api/echo').then((r) => r.json())")
        calls = child_site.calls_to("/api/echo")
        return calls and calls[-1].headers.get("x-session-id") == session_id

    # The page sends its session ID with its first request for the frame's snapshot.
    wait_until(
        page, tagged_with_the_page_session, message="the page's session on the frame's calls"
    )
    assert frame.evaluate("qorrelate.getSessionId()") != session_id  # its own, never uploaded


def test_canvas_is_not_recorded_unless_turned_on(site, child_site, page):
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    _record(site, child_site, page)
    events = _done(page, site)
    assert _canvas_events(events) == []
    assert not any("replay-canvas.js" in u for u in loaded)


def test_2d_and_webgl_canvases_are_recorded_as_pictures_with_record_canvas(site, child_site, page):
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    _record(site, child_site, page, record_canvas="true")

    def every_canvas_pictured():
        events = site.intake.events()
        own, frame = _latest_canvases(events)
        return len(own) == 2 and len(frame) == 1 and set(own + frame) <= _pictured(events)

    wait_until(
        page,
        every_canvas_pictured,
        message="a picture of every canvas (the page's 2D and WebGL ones, the frame's)",
    )
    events = _done(page, site)
    # The chunk came from beside replay.js, on each origin that records a canvas.
    assert site.url("/static/replay-canvas.js") in loaded
    # A canvas that does not change is sent once per snapshot of it, not at every frame.
    serialized = _node_ids(events, lambda n: n.get("tagName") == "canvas")
    assert len(_canvas_events(events)) <= len(serialized)

    # A canvas drawn again is sent again, with its new picture.
    own, _frame = _latest_canvases(events)
    before = {e["data"]["commands"][-1]["args"][0]["src"] for e in _canvas_events(events)}
    page.evaluate(
        "() => { const c = document.getElementById('c2d').getContext('2d');"
        " c.fillStyle = 'rgb(0, 0, 0)'; c.fillRect(0, 0, 160, 80); }"
    )
    wait_until(
        page,
        lambda: any(
            e["data"]["id"] in own and e["data"]["commands"][-1]["args"][0]["src"] not in before
            for e in _canvas_events(site.intake.events())
        ),
        message="the redrawn canvas's new picture",
    )


def test_mask_all_records_no_canvas_even_when_turned_on(site, child_site, page):
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    _record(site, child_site, page, record_canvas="true", privacy_mode="mask-all")
    wait_until(page, lambda: "childNodes" in site.intake.raw_text(), message="a snapshot")
    page.evaluate(
        "() => new Promise((done) => { let n = 0; const f = () => ++n > 10 ? done() : "
        "requestAnimationFrame(f); f(); })"
    )
    events = _done(page, site)
    assert _canvas_events(events) == []
    assert "data:image" not in site.intake.raw_text()
    assert not any("replay-canvas.js" in u for u in loaded)


def test_after_each_full_snapshot_of_the_page_the_cross_origin_frame_sends_its_own_again(
    site, child_site, page
):
    _record(site, child_site, page, checkout_interval=1000)
    moves = iter(range(10_000))

    def frame_after_a_later_snapshot():
        # A checkout is taken on the first event more than a second after the last snapshot.
        page.mouse.move(10 + next(moves) % 300, 10)
        events = site.intake.events()
        snapshots = [i for i, e in enumerate(events) if e["type"] == 2]
        # The third: long after the frame's own first snapshots and the page's first request.
        return len(snapshots) >= 3 and any(
            e["type"] == 3 and e["data"].get("isAttachIframe") and CROSS_TEXT in json.dumps(e)
            for e in events[snapshots[-1] :]
        )

    # A replay that starts at the page's checkout shows the frame's document too.
    wait_until(page, frame_after_a_later_snapshot, message="the frame's document after a checkout")


def test_a_full_snapshot_is_followed_at_once_by_each_canvas_picture_under_its_new_id(
    site, child_site, page
):
    """A recording that ends right after a snapshot (a checkout, or a cross-origin frame's
    document sent again, whose nodes then get new ids in the page's recording) still replays its
    canvases: their last pictures are sent in the same task as the snapshot, not at the next
    capture."""
    _record(site, child_site, page, record_canvas="true", checkout_interval=1000)
    wait_until(
        page,
        lambda: (
            set(_latest_canvases(site.intake.events())[0]) <= _pictured(site.intake.events())
            and len(_latest_canvases(site.intake.events())[0]) == 2
        ),
        message="the page's two canvases pictured",
    )
    snapshots = len([e for e in site.intake.events() if e["type"] == 2])

    # A click more than a checkout interval after the last snapshot takes a new one (rrweb checks
    # at each event), and the marker is recorded in the same task, right after it.
    def checkout_then_marker():
        page.evaluate("() => { document.body.click(); qorrelate.event('after-click', {}); }")
        page.evaluate("qorrelate.flush()")
        return len([e for e in site.intake.events() if e["type"] == 2]) > snapshots

    wait_until(page, checkout_then_marker, message="a checkout after a click")
    events = site.intake.events()
    last = max(i for i, e in enumerate(events) if e["type"] == 2)
    marker = next(
        i
        for i, e in enumerate(events)
        if i > last and e["type"] == 5 and e["data"]["payload"].get("name") == "after-click"
    )
    own = _node_ids([events[last]], lambda n: n.get("tagName") == "canvas")
    assert len(own) == 2
    assert set(own) <= _pictured(events[last:marker]), "each canvas's picture before the marker"


def test_a_frame_of_an_unlisted_origin_inside_a_same_origin_frame_cannot_inject_events(
    site, child_site, page
):
    """rrweb takes cross-origin frames' messages on each same-origin frame's window too, where
    the page's origin and privacy-mode checks must also stand: a frame of an unlisted origin
    (an ad, say) nested in a same-origin frame posts rrweb messages of its own making, claiming
    the strictest mode, and none of them is recorded."""
    url = serve_hard_dom(site, child_site, org_id=ORG_ID, flush_interval=200)
    # Unlisted: the page lists only localhost:<child port>; this is 127.0.0.1:<child port>.
    child_site.add_page(
        "/evil.html",
        "<!doctype html><p>ad</p><script>window.sent = 0; setInterval(() => {"
        " const event = {type: 5, timestamp: Date.now(), data: {tag: 'qorrelate.event',"
        " payload: {name: 'hdinjected1', payload: {}}}};"
        " parent.postMessage({type: 'rrweb', event, origin: location.origin,"
        " mode: 'mask-all', isCheckout: false}, '*'); window.sent++; }, 50);</script>",
    )
    site.add_page(
        "/frame.html",
        f"<!doctype html><p id='frame-text'>Same-origin frame {FRAME_TEXT}</p>"
        f"<iframe id='evil' src='{child_site.origin}/evil.html'></iframe>",
    )
    open_hard_dom(page, url)
    evil = lambda: next((f for f in page.frames if f.url.endswith("/evil.html")), None)  # noqa: E731
    wait_until(page, lambda: evil() and evil().evaluate("window.sent") >= 20, message="posts")
    sent = "\n".join(json.dumps(e) for e in _done(page, site))
    assert FRAME_TEXT in sent  # the same-origin frame is recorded
    assert "hdinjected1" not in sent
