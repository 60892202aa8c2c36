"""A long session loads in time windows: the player starts on the first window and a `?t=`
beyond it waits for its window, then shows the page as it was then."""

import pytest

from tests.dashboard.browser import REPLAY_TEXT, current_ms, dashboard_tab, wait_for
from tests.replay import rrweb

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
T0 = rrweb.T0


def text_change(ts, value):
    data = {"source": 0, "texts": [{"id": 99, "value": value}], "attributes": [], "removes": []}
    return {"type": 3, "data": {**data, "adds": []}, "timestamp": ts}


def test_a_long_session_loads_window_by_window_and_t_waits_for_its_window(
    browser, live_server, org_a, alice, built_assets, post_batch, artifacts_dir
):
    session_id = rrweb.new_session_id()
    moves = [rrweb.mouse_move(T0 + s * 1000, x=100 + s, y=200) for s in range(5, 150, 5)]
    events = sorted(
        [
            *rrweb.page_load(T0),
            rrweb.mutation(T0 + 1000, "Step 1"),
            text_change(T0 + 70_000, "Step 2"),
            text_change(T0 + 130_000, "Step 3"),
            rrweb.mouse_move(T0 + 150_000),
            *moves,
        ],
        key=lambda e: e["timestamp"],
    )
    for seq, start in enumerate(range(0, len(events), 12)):
        batch = rrweb.envelope(session_id, seq, events[start : start + 12])
        assert post_batch(org_a, batch).status_code == 200

    page = dashboard_tab(browser, live_server.url, alice)
    windows = []
    page.on(
        "request",
        lambda request: (
            windows.append(request.url.split("?", 1)[1]) if "/events?" in request.url else None
        ),
    )
    page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/{session_id}/?t=140000")
    page.wait_for_selector("#replay[data-loaded='true']")
    page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    assert windows == ["start=0&end=60000", "start=60000&end=120000", "start=120000&end=150001"]
    assert abs(current_ms(page) - 140_000) < 50
    assert "Step 3" in page.evaluate(REPLAY_TEXT)

    page.evaluate("() => window.qorrelatePlayer.seek(80000)")
    wait_for(lambda: "Step 2" in page.evaluate(REPLAY_TEXT), message="the page at 1:20")
    page.evaluate("() => window.qorrelatePlayer.seek(30000)")
    wait_for(lambda: "Step 1" in page.evaluate(REPLAY_TEXT), message="the page at 0:30")
    page.screenshot(path=str(artifacts_dir / "dashboard-session-long.png"))
    assert page.js_errors == []
