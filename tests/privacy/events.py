"""rrweb events with secrets planted where masking can fail (tests only; numbers are the
standard test card, a test SSN range and example domains)."""

from tests.replay import rrweb

CARD = "4111 1111 1111 1111"
CARD_DIGITS = "4111111111111111"
EMAIL = "jane.doe@example.com"
PASSWORD = "hunter2-Secret!"


def el(node_id, tag, children=(), **attributes):
    return {
        "type": 2,
        "tagName": tag,
        "attributes": attributes,
        "childNodes": list(children),
        "id": node_id,
    }


def text(node_id, content):
    return {"type": 3, "textContent": content, "id": node_id}


def checkout_snapshot(ts, *, card_text=CARD, password_value="********"):
    """A checkout page: a receipt paragraph (text), a password input and a private div."""
    body = el(
        4,
        "body",
        [
            el(
                10,
                "form",
                [
                    el(
                        11,
                        "p",
                        [text(12, f"Charged to card {card_text} today")],
                        **{"class": "receipt"},
                    ),
                    el(13, "input", type="password", name="pw", value=password_value),
                    el(14, "div", [text(15, "****")], **{"data-private": "true", "id": "note"}),
                ],
                id="checkout",
            )
        ],
    )
    node = {"type": 0, "childNodes": [el(2, "html", [el(3, "head"), body])], "id": 1}
    return {
        "type": 2,
        "data": {"node": node, "initialOffset": {"left": 0, "top": 0}},
        "timestamp": ts,
    }


def input_event(ts, node_id, value):
    return {
        "type": 3,
        "data": {"source": 5, "text": value, "isChecked": False, "id": node_id},
        "timestamp": ts,
    }


def text_change(ts, node_id, value):
    return {
        "type": 3,
        "data": {
            "source": 0,
            "texts": [{"id": node_id, "value": value}],
            "attributes": [],
            "removes": [],
            "adds": [],
        },
        "timestamp": ts,
    }


def leaky_page(t=rrweb.T0):
    return [
        rrweb.navigation(t, "https://shop.test/checkout", kind="load"),
        rrweb.meta(t + 1, href="https://shop.test/checkout"),
        checkout_snapshot(t + 2),
        input_event(t + 500, 13, PASSWORD),  # a password that escaped masking
        text_change(t + 900, 15, "Call me at " + EMAIL),  # inside data-private
        rrweb.console_error(t + 1000, f"Payment failed for {EMAIL}"),
    ]
