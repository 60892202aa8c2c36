"""The hard DOM page (pages/hard_dom.html) served by two local sites: the page on one origin
(127.0.0.1), its cross-origin frame on another (localhost, another port). Used by the recorder's
tests and by the dashboard's player test (there the page records into the live server)."""

from pathlib import Path

from .sites import Site, recorder_tag, wait_until

PAGES = Path(__file__).parent / "pages"
SHADOW_TEXT = "hdshadow1"
FRAME_TEXT = "hdframe1"
CROSS_TEXT = "hdcross1"


def localhost(site: Site) -> str:
    """The site's origin under another host name: another origin for the browser."""
    return site.origin.replace("127.0.0.1", "localhost")


def serve_hard_dom(site: Site, child_site: Site, *, frame_origins=None, frame_mode=None, **attrs):
    """Serves the page (recorder tag with ``attrs``), its same-origin frame and its cross-origin
    frame (whose tag has the same attributes, or ``frame_mode`` as its privacy mode); the page
    lists ``frame_origins`` (default: the frame's origin). Returns the page's URL."""
    child_origin = localhost(child_site)
    parent_tag = recorder_tag(
        site.url("/static/replay.js"),
        cross_origin_iframes=frame_origins or child_origin,
        **attrs,
    )
    child_attrs = {k: v for k, v in attrs.items() if k not in ("endpoint", "flush_interval")}
    if frame_mode:
        child_attrs["privacy_mode"] = frame_mode
    child_tag = recorder_tag(
        child_origin + "/static/replay.js", parent_origin=site.origin, **child_attrs
    )
    child_site.add_page(
        "/child.html",
        (PAGES / "hard_dom_child.html").read_text().replace("<!--recorder-->", child_tag),
    )
    site.add_page(
        "/frame.html",
        f"<!doctype html><p id='frame-text'>Same-origin frame {FRAME_TEXT}</p>"
        "<p class='qorrelate-mask'>Masked in the frame</p>",
    )
    html = (PAGES / "hard_dom.html").read_text()
    html = html.replace("{{CHILD}}", child_origin + "/child.html").replace(
        "<!--recorder-->", parent_tag
    )
    return site.add_page("/hard_dom.html", html)


def open_hard_dom(page, url: str) -> None:
    """Opens the page and waits until both frames and the recorder are there."""
    page.goto(url)
    page.wait_for_function("() => window.qorrelate && window.qorrelate.getSessionId()")
    wait_until(
        page,
        lambda: any(
            f.url.endswith("/child.html") and f.evaluate("() => !!window.qorrelate")
            for f in page.frames
        ),
        message="the cross-origin frame's recorder",
    )


def child_frame(page):
    return next(f for f in page.frames if f.url.endswith("/child.html"))
