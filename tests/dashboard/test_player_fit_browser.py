"""The replay fills the player: whatever the recorded viewport (desktop, wide, a phone held
upright), the replayed page is scaled to the stage's full width or full height, centred."""

import time

import pytest

from tests.dashboard.browser import dashboard_tab
from tests.replay import rrweb

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
VIEWPORTS = [(1280, 800), (1920, 1080), (390, 844), (800, 600), (480, 320)]
MEASURE = """() => {
    const stage = document.getElementById('player-stage').getBoundingClientRect();
    const page = document.querySelector('#player-stage iframe').getBoundingClientRect();
    return {stage: [stage.left, stage.top, stage.width, stage.height],
            page: [page.left, page.top, page.width, page.height]};
}"""


def _session(record_session, organization, width, height):
    # The recorder's page load (navigation, meta with this viewport, full snapshot), then a move.
    ts = int(time.time() * 1000) - 60_000
    events = [rrweb.mouse_move(ts + 1500)]
    return record_session(organization, events=events, start=ts, viewport=(width, height))


@pytest.mark.parametrize("window", [(1440, 900), (1100, 900)])
def test_the_replayed_page_fills_the_stage_width_or_height_and_is_centred(
    browser, live_server, org_a, alice, built_assets, record_session, artifacts_dir, window
):
    page = dashboard_tab(browser, live_server.url, alice, width=window[0], height=window[1])
    for width, height in VIEWPORTS:
        session = _session(record_session, org_a, width, height)
        page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/{session.session_id}/")
        page.wait_for_function("() => document.getElementById('replay').dataset.state === 'ended'")
        # Fitted once the frame has the recording's proportions (a condition, not a delay).
        page.wait_for_function(
            f"""() => {{
                const r = document.querySelector('#player-stage iframe')?.getBoundingClientRect();
                return r && r.width > 0 && Math.abs(r.width / r.height - {width / height}) < 0.01;
            }}"""
        )
        box = page.evaluate(MEASURE)
        sx, sy, sw, sh = box["stage"]
        px, py, pw, ph = box["page"]
        label = f"{width}×{height} in a {window[0]}×{window[1]} window: {box}"
        fills_width = abs(pw - sw) <= 2 and ph <= sh + 2
        fills_height = abs(ph - sh) <= 2 and pw <= sw + 2
        assert fills_width or fills_height, label
        assert abs((px - sx) - (sx + sw - px - pw)) <= 2, f"not centred across: {label}"
        assert abs((py - sy) - (sy + sh - py - ph)) <= 2, f"not centred down: {label}"
        if window == (1440, 900) and (width, height) == (390, 844):
            page.screenshot(path=str(artifacts_dir / "player-fit-phone.png"))

    assert page.js_errors == []
