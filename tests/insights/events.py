"""rrweb events for detector tests: a checkout page with a form, a button outside it, a
message container; each test adds what happens after the page load."""

from tests.replay import rrweb

T0 = rrweb.T0
DOC, HTML, HEAD, BODY = 1, 2, 3, 4
FORM, PLACE_ORDER, EMAIL, MENU, TOASTS, STATUS = 10, 11, 12, 13, 14, 15


def el(node_id, tag, children=(), **attributes):
    return {
        "type": 2,
        "tagName": tag,
        "attributes": attributes,
        "childNodes": list(children),
        "id": node_id,
    }


def text(node_id, value):
    return {"type": 3, "textContent": value, "id": node_id}


def page(ts=T0, url="https://shop.test/checkout"):
    body = el(
        BODY,
        "body",
        [
            el(
                FORM,
                "form",
                [
                    el(EMAIL, "input", type="email", name="email", value="*****"),
                    el(PLACE_ORDER, "button", [text(100, "Place order")], type="submit"),
                ],
                id="checkout",
            ),
            el(MENU, "button", [text(101, "Account")], **{"class": "nav-x"}),
            el(TOASTS, "div", **{"class": "zq-1"}),
            el(STATUS, "div", role="status"),
        ],
    )
    html = el(HTML, "html", [el(HEAD, "head"), body])
    return [
        rrweb.navigation(ts, url, kind="load"),
        rrweb.meta(ts + 1, href=url),
        {
            "type": 2,
            "data": {"node": {"type": 0, "childNodes": [html], "id": DOC}},
            "timestamp": ts + 2,
        },
    ]


def add(ts, parent, node):
    return {
        "type": 3,
        "data": {
            "source": 0,
            "texts": [],
            "attributes": [],
            "removes": [],
            "adds": [{"parentId": parent, "nextId": None, "node": node}],
        },
        "timestamp": ts,
    }


def remove(ts, parent, node_id):
    return {
        "type": 3,
        "data": {
            "source": 0,
            "texts": [],
            "attributes": [],
            "removes": [{"parentId": parent, "id": node_id}],
            "adds": [],
        },
        "timestamp": ts,
    }


def attributes(ts, node_id, **attrs):
    return {
        "type": 3,
        "data": {
            "source": 0,
            "texts": [],
            "attributes": [{"id": node_id, "attributes": attrs}],
            "removes": [],
            "adds": [],
        },
        "timestamp": ts,
    }


def click(ts, node_id=PLACE_ORDER):
    return rrweb.click(ts, node_id)


def form(ts, kind, node_id):
    return rrweb.custom(ts, "qorrelate.form", {"type": kind, "id": node_id})


def longtask(ts, duration, source="longtask"):
    return rrweb.custom(ts, "qorrelate.longtask", {"duration_ms": duration, "source": source})


def vital(ts, name, value):
    return rrweb.custom(ts, "qorrelate.vital", {"name": name, "value": value})


def network(ts, url="https://shop.test/api/checkout", status=200, method="POST", **kw):
    return rrweb.network(ts, url=url, status=status, method=method, **kw)


def idle(ts):
    """A mouse move: the session goes on (so clicks before it can be judged)."""
    return rrweb.mouse_move(ts)
