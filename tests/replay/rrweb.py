"""rrweb-shaped events for tests, as the recorder (static/src/recorder) sends them.

Node ids follow the full snapshot below: 1 document, 2 html, 3 head, 4 body, 5 the "Place
order" button, 6 the email input, 7 the result paragraph.
"""

import uuid

T0 = 1_732_390_000_000
CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
IPHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
FIREFOX_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
BUTTON, EMAIL_INPUT, RESULT = 5, 6, 7


def new_session_id() -> str:
    return str(uuid.uuid4())


def meta(ts, href="https://shop.test/", width=1280, height=720):
    return {"type": 4, "data": {"href": href, "width": width, "height": height}, "timestamp": ts}


def full_snapshot(ts):
    def el(node_id, tag, children=(), **attributes):
        return {
            "type": 2,
            "tagName": tag,
            "attributes": attributes,
            "childNodes": list(children),
            "id": node_id,
        }

    body = el(
        4,
        "body",
        [
            el(BUTTON, "button", [{"type": 3, "textContent": "Place order", "id": 8}]),
            el(EMAIL_INPUT, "input", type="email", value="*****"),
            el(RESULT, "p"),
        ],
    )
    html = el(2, "html", [el(3, "head"), body])
    node = {"type": 0, "childNodes": [html], "id": 1}
    return {
        "type": 2,
        "data": {"node": node, "initialOffset": {"left": 0, "top": 0}},
        "timestamp": ts,
    }


def mouse_move(ts, x=100, y=100):
    return {
        "type": 3,
        "data": {"source": 1, "positions": [{"x": x, "y": y, "id": 4, "timeOffset": 0}]},
        "timestamp": ts,
    }


def click(ts, node_id=BUTTON, x=200, y=300):
    return {
        "type": 3,
        "data": {"source": 2, "type": 2, "id": node_id, "x": x, "y": y, "pointerType": 0},
        "timestamp": ts,
    }


def mutation(ts, text="Thank you!"):
    return {
        "type": 3,
        "data": {
            "source": 0,
            "texts": [],
            "attributes": [],
            "removes": [],
            "adds": [
                {
                    "parentId": RESULT,
                    "nextId": None,
                    "node": {"type": 3, "textContent": text, "id": 99},
                }
            ],
        },
        "timestamp": ts,
    }


def text_input(ts, node_id=EMAIL_INPUT, text="*****"):
    return {
        "type": 3,
        "data": {"source": 5, "text": text, "isChecked": False, "id": node_id},
        "timestamp": ts,
    }


def custom(ts, tag, payload):
    return {"type": 5, "data": {"tag": tag, "payload": payload}, "timestamp": ts}


def network(ts, url="/api/orders", status=200, method="POST", trace_id=None, duration_ms=42):
    return custom(
        ts,
        "qorrelate.network",
        {
            "method": method,
            "url": url,
            "status": status,
            "duration_ms": duration_ms,
            "size": 120,
            "trace_id": trace_id,
            "span_id": "00f067aa0ba902b7" if trace_id else None,
            "session_header": True,
            "initiator": "fetch",
            "error": None if status else "TypeError: Failed to fetch",
        },
    )


def console_error(ts, message):
    return custom(ts, "qorrelate.console", {"level": "error", "message": message, "stack": ""})


def console_warn(ts, message):
    return custom(ts, "qorrelate.console", {"level": "warn", "message": message, "stack": ""})


def uncaught_error(ts, message):
    return custom(
        ts,
        "qorrelate.error",
        {
            "kind": "error",
            "message": message,
            "stack": "at checkout (app.js:10:5)",
            "source": "https://shop.test/app.js",
            "line": 10,
            "column": 5,
        },
    )


def navigation(ts, url, kind="pushState", previous=None):
    return custom(ts, "qorrelate.navigation", {"url": url, "from": previous, "kind": kind})


def identify(ts, user_id, traits=None):
    return custom(ts, "qorrelate.identify", {"user_id": user_id, "traits": traits or {}})


def page_load(ts, url="https://shop.test/", width=1280, height=720):
    """What the recorder sends first on a page: navigation, meta, full snapshot."""
    return [
        navigation(ts, url, kind="load"),
        meta(ts + 1, href=url, width=width, height=height),
        full_snapshot(ts + 2),
    ]


def envelope(
    session_id,
    seq,
    events,
    *,
    org=None,
    ended=False,
    user=None,
    ua=CHROME_UA,
    url=None,
    previous_session_id=None,
):
    page_url = url or "https://shop.test/"
    body = {
        "session_id": session_id,
        "previous_session_id": previous_session_id,
        "seq": seq,
        "sent_at": (events[-1]["timestamp"] if events else T0) + 5,
        "ended": ended,
        "page": {"url": page_url, "title": "Shop", "referrer": ""},
        "meta": {
            "user_agent": ua,
            "viewport": {"width": 1280, "height": 720},
            "sdk": "qorrelate-js/0.1.0",
            "privacy_mode": "mask-inputs",
            "sample_rate": 100,
        },
        "user": user,
        "events": events,
    }
    if org is not None:
        body["org"] = org
    return body
