"""A forged recorder (the org id is public) can send timeline events whose words are not words:
an object where a message or a name belongs, an array, a number. The player shows them as text
and goes on: the entries after them are on the timeline, and the page has no error."""

import time
import uuid

import pytest

from tests.dashboard import forged
from tests.dashboard.browser import dashboard_tab, open_session, stored_session
from tests.dashboard.test_replay_network_browser import _post_to_public_intake

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]


def _custom(ts: int, tag: str, payload: dict) -> dict:
    return {"type": 5, "timestamp": ts, "data": {"tag": tag, "payload": payload}}


def test_timeline_events_with_objects_for_words_do_not_break_the_player(
    browser, live_server, org_a, alice, built_assets
):
    start = int(time.time() * 1000) - 60_000
    snapshot = [
        {
            "type": 4,
            "timestamp": start,
            "data": {"href": "https://shop.test/", "width": 800, "height": 600},
        },
        {
            "type": 2,
            "timestamp": start + 1,
            "data": {
                "node": {
                    "type": 0,
                    "id": 1,
                    "childNodes": [
                        {
                            "type": 2,
                            "id": 2,
                            "tagName": "html",
                            "attributes": {},
                            "childNodes": [
                                {
                                    "type": 2,
                                    "id": 3,
                                    "tagName": "body",
                                    "attributes": {},
                                    "childNodes": [],
                                }
                            ],
                        }
                    ],
                },
                "initialOffset": {"top": 0, "left": 0},
            },
        },
    ]
    junk = {"<b>not": ["a", {"word": 1}]}
    events = snapshot + [
        _custom(start + 100, "qorrelate.event", {"name": junk, "payload": None}),
        _custom(start + 200, "qorrelate.error", {"message": junk, "kind": ["x"], "source": 7}),
        _custom(start + 300, "qorrelate.console", {"level": "error", "message": [1, 2]}),
        _custom(start + 400, "qorrelate.identify", {"user_id": {"id": 1}}),
        _custom(start + 500, "qorrelate.event", {"name": "after the junk", "payload": None}),
    ]
    session_id = str(uuid.uuid4())
    body = forged.envelope(org_public_id=org_a.public_id, session_id=session_id, events=events)
    _post_to_public_intake(live_server.url, org_a.public_id, body)
    stored_session(org_a, session_id)

    tab = dashboard_tab(browser, live_server.url, alice)
    open_session(tab, live_server.url, org_a, session_id)
    tab.wait_for_function("() => document.body.innerText.includes('after the junk')")
    # The junk is on the timeline as text, never as markup.
    assert "[object Object]" in tab.evaluate("() => document.body.innerText")
    assert "<b>" not in tab.evaluate(
        "() => [...document.querySelectorAll('b')].map((b) => b.textContent).join('')"
    )
    assert tab.js_errors == []
