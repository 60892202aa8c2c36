"""The scanner walks rrweb structures: findings with CSS paths and redacted excerpts, and a
redaction that masks values in place and keeps every event's structure."""

import copy

import orjson

from apps.privacy.scan.dom import DomState
from apps.privacy.scan.scanner import redact, scan_events
from tests.privacy import events as ev


def _scan(events):
    return scan_events(events, DomState())


def test_a_card_in_a_text_node_is_found_with_its_css_path():
    hits = _scan(ev.leaky_page())
    card = next(h for h in hits if h.kind == "card_number")
    assert card.location == "text" and card.event_index == 2
    assert card.selector == "body > form#checkout > p.receipt"
    assert card.excerpt == "Charged to card [card_number] today"


def test_escaped_inputs_and_private_text_are_findings_even_without_a_pattern():
    hits = _scan(ev.leaky_page())
    by_kind = {h.kind: h for h in hits}
    password = by_kind["sensitive_input"]
    assert password.location == "input"
    assert password.selector == "body > form#checkout > input[type=password][name=pw]"
    assert password.excerpt.endswith(f"{len(ev.PASSWORD)} characters, not masked")
    private = by_kind["private_element"]
    assert private.selector == "body > form#checkout > div#note[data-private]"
    assert by_kind["email"].location == "custom:qorrelate.console.message"


def test_masked_values_are_not_findings():
    masked = [
        ev.checkout_snapshot(1, card_text="**** **** **** ****"),
        ev.input_event(2, 13, "*****"),
    ]
    assert _scan(masked) == []


def test_no_finding_contains_a_secret():
    rendered = repr([(h.kind, h.location, h.selector, h.excerpt) for h in _scan(ev.leaky_page())])
    for secret in (ev.CARD, ev.CARD_DIGITS, ev.EMAIL, ev.PASSWORD, "1111"):
        assert secret not in rendered


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, str):
        return ("str", len(value))
    return value


def test_redaction_masks_in_place_and_keeps_structure_and_lengths():
    events = ev.leaky_page()
    before = copy.deepcopy(events)
    changed = redact(_scan(events))
    assert changed == {2, 3, 4, 5}
    assert [_shape(e) for e in events] == [_shape(e) for e in before]
    blob = orjson.dumps(events).decode()
    for secret in (ev.CARD, ev.EMAIL, ev.PASSWORD):
        assert secret not in blob
    assert "Charged to card **** **** **** **** today" in blob
    assert _scan(events) == []  # nothing left to find


def _network_entry(ts, *, request_body, response_header):
    payload = {
        "method": "POST",
        "url": "https://shop.example/api/pay",
        "status": 200,
        "request": {
            "headers": {"content-type": "application/json"},
            "body": {"body": request_body, "size": len(request_body), "truncated": False},
        },
        "response": {"headers": {"x-debug": response_header}, "body": None},
    }
    return {"type": 5, "timestamp": ts, "data": {"tag": "qorrelate.network", "payload": payload}}


def test_a_card_number_in_a_captured_request_body_or_header_is_found_and_can_be_masked():
    body = orjson.dumps({"user": "ann", "note": f"card {ev.CARD}"}).decode()
    events = [_network_entry(1, request_body=body, response_header=f"paid {ev.CARD_DIGITS}")]
    hits = _scan(events)
    locations = {h.location for h in hits if h.kind == "card_number"}
    assert locations == {
        "custom:qorrelate.network.request.body.body",
        "custom:qorrelate.network.response.headers.x-debug",
    }
    redact(hits)
    text = orjson.dumps(events).decode()
    assert ev.CARD not in text and ev.CARD_DIGITS not in text
    assert '\\"user\\":\\"ann\\"' in text
