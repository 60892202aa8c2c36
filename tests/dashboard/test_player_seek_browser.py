"""Seeking in a long session starts at the nearest full snapshot. The real recorder takes a
checkout every 2 s (`data-checkout-interval`) on a page that keeps changing, the real intake
stores it, and the player opened at `?t=` near the end fetches one window from the last
checkout before it instead of every window from the start.

Scaled down: 2-second event windows over a ~10-second recording stand in for the dashboard's
1-minute windows over a long session."""

import orjson
import pytest
from rest_framework.test import APIClient

from apps.replay import selectors
from demo import scenarios
from tests.dashboard.browser import REPLAY_TEXT, current_ms, dashboard_tab, stored_session, wait_for
from tests.recorder.sites import Site, page_html, recorder_tag, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
WINDOW_MS = 2000
STEPS = """<h1 id="step">Step 0</h1>
<script>
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    document.getElementById('step').textContent = 'Step ' + n;
    qorrelate.event('step', {n});
    if (n === 14) clearInterval(timer);
  }, 700);
</script>"""


@pytest.fixture
def recorded(browser, live_server, org_a, built_assets):
    """~10 s of the steps page, recorded through the real intake with a checkout every 2 s."""
    site = Site(lambda: (built_assets / "replay.js").read_bytes())
    org_a.allowed_origins = [site.origin]
    org_a.save()
    tag = recorder_tag(
        site.url("/static/replay.js"),
        org_id=org_a.public_id,
        endpoint=live_server.url,
        flush_interval=500,
        checkout_interval=2000,
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.add_page("/steps", page_html(STEPS, script=tag)))
    wait_until(page, lambda: page.inner_text("#step") == "Step 14", timeout=20, message="14 steps")
    session_id = page.evaluate("qorrelate.getSessionId()")
    scenarios.stop_recording(page)
    context.close()
    site.close()
    stored_session(org_a, session_id)
    session = wait_for(
        lambda: (s := stored_session(org_a, session_id)).ended_at and s,
        message="the ended batch",
    )
    return session


def step_offsets(org, session) -> dict[int, int]:
    """Step number → ms from the session start when the page showed it."""
    return {
        e["data"]["payload"]["payload"]["n"]: e["timestamp"] - session.start_ms
        for e in selectors.session_events(organization=org, session=session)
        if e["type"] == 5 and e["data"].get("tag") == "qorrelate.event"
    }


def test_a_recording_has_a_full_snapshot_every_checkout_interval(org_a, recorded):
    events = list(selectors.session_events(organization=org_a, session=recorded))
    snapshots = [e["timestamp"] for e in events if e["type"] == 2]

    assert len(snapshots) >= 4, snapshots  # the page load, then one every ~2 s of changes
    assert len(selectors.session_snapshot_offsets(organization=org_a, session=recorded)) == len(
        snapshots
    )


def test_the_events_api_starts_a_late_window_at_a_later_checkout(org_a, alice, recorded):
    events = list(selectors.session_events(organization=org_a, session=recorded))
    snapshots = [e["timestamp"] for e in events if e["type"] == 2]
    at = step_offsets(org_a, recorded)[13]
    client = APIClient()
    client.force_authenticate(alice)

    response = client.get(
        f"/api/v1/sessions/{recorded.session_id}/events",
        {"start": at, "snapshot": "true"},
        HTTP_X_QORRELATE_ORGANIZATION=org_a.slug,
    )
    window = orjson.loads(b"".join(response.streaming_content))

    assert response.status_code == 200
    assert [e["type"] for e in window[:2]] == [4, 2]
    assert snapshots[0] < window[1]["timestamp"] <= recorded.start_ms + at
    assert window[1]["timestamp"] == max(s for s in snapshots if s <= recorded.start_ms + at)


PAUSED_AT = """new MutationObserver((changes, observer) => {
  const replay = document.getElementById('replay');
  if (replay && replay.dataset.state === 'paused') {
    window.__pausedAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });"""


def test_t_near_the_end_fetches_one_window_from_the_last_checkout_and_shows_that_moment(
    browser, live_server, org_a, alice, recorded, monkeypatch, artifacts_dir
):
    monkeypatch.setattr("apps.dashboard.player_config.EVENT_WINDOW_MS", WINDOW_MS)
    steps = step_offsets(org_a, recorded)
    at = (steps[13] + steps[14]) // 2  # the page said "Step 13" then
    page = dashboard_tab(browser, live_server.url, alice)
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "/events?" in r.url else None)

    # The moment the player shows `at`, taken in the page (a poll from here may come after the
    # loader has already filled in the stretch before the snapshot on a busy machine).
    page.add_init_script(PAUSED_AT)
    page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/{recorded.session_id}/?t={at}")
    shown_at = page.wait_for_function("() => window.__pausedAt").json_value()
    fetched = page.evaluate(
        """(until) => performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('/events?') && e.responseEnd <= until)
            .map((e) => [e.name, e.decodedBodySize])""",
        shown_at,
    )
    assert abs(current_ms(page) - at) < 50
    assert "Step 13" in page.evaluate(REPLAY_TEXT)
    end = min((at // WINDOW_MS + 1) * WINDOW_MS, recorded.duration_ms + 1)
    # The player plays the session's one tab (window), named in every request.
    window = selectors.session_windows(organization=org_a, session=recorded)[0]["window_id"]
    assert requested[0].endswith(f"?start={at}&end={end}&snapshot=true&window={window}")
    # What loading from the start needs before it can show `at`: every window up to at's.
    events_url = f"/api/v1/sessions/{recorded.session_id}/events"
    baseline = page.evaluate(
        """async ([url, org, windows]) => {
            let sizes = [];
            for (const [start, end] of windows) {
              const r = await fetch(`${url}?start=${start}&end=${end}`,
                {headers: {'X-Qorrelate-Organization': org}});
              sizes.push((await r.arrayBuffer()).byteLength);
            }
            return sizes;
        }""",
        [
            events_url,
            org_a.slug,
            [[s, s + WINDOW_MS] for s in range(0, (at // WINDOW_MS + 1) * WINDOW_MS, WINDOW_MS)],
        ],
    )
    print(
        f"\nbefore showing t={at}: {len(fetched)} request(s), {sum(b for _, b in fetched)} B;"
        f" from the start: {len(baseline)} requests, {sum(baseline)} B"
    )
    assert len(fetched) == 1 and "snapshot=true" in fetched[0][0]
    assert len(baseline) >= 4
    assert fetched[0][1] < sum(baseline) * 0.6

    # The rest arrives behind it; then a seek back to the beginning replays from the start.
    page.wait_for_selector("#replay[data-loaded='true']")
    assert all("snapshot" not in url for url in requested[1:])
    page.evaluate(f"() => window.qorrelatePlayer.seek({(steps[1] + steps[2]) // 2})")
    wait_for(lambda: "Step 1" in page.evaluate(REPLAY_TEXT), message="the page at step 1")
    assert "Step 13" not in page.evaluate(REPLAY_TEXT)
    page.screenshot(path=str(artifacts_dir / "dashboard-session-seek-snapshot.png"))
    assert page.js_errors == []


SLOW_EVENTS = """(() => {
  const fetch0 = window.fetch;
  window.fetch = (url, options) => String(url).includes('/events?')
    ? new Promise((resolve) => setTimeout(resolve, 700)).then(() => fetch0(url, options))
    : fetch0(url, options);
})();"""


def test_a_far_seek_while_loading_from_the_start_jumps_to_the_checkout_before_it(
    browser, live_server, org_a, alice, recorded, monkeypatch
):
    monkeypatch.setattr("apps.dashboard.player_config.EVENT_WINDOW_MS", WINDOW_MS)
    steps = step_offsets(org_a, recorded)
    at = (steps[12] + steps[13]) // 2
    page = dashboard_tab(browser, live_server.url, alice)
    page.add_init_script(SLOW_EVENTS)  # each window takes 0.7 s: loading is still under way
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "/events?" in r.url else None)
    page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/{recorded.session_id}/")
    page.wait_for_function("() => window.qorrelatePlayer && window.qorrelatePlayer.player.replayer")

    page.evaluate(f"() => window.qorrelatePlayer.seek({at})")
    wait_for(lambda: "Step 12" in page.evaluate(REPLAY_TEXT), message="the page at step 12")

    jumps = [url for url in requested if "snapshot=true" in url]
    assert len(jumps) == 1 and f"?start={at}&" in jumps[0]
    assert "start=6000&" not in " ".join(requested)  # windows before the jump were skipped
    page.wait_for_selector("#replay[data-loaded='true']")
    assert "start=6000&" in " ".join(requested)  # and filled in afterwards
    assert page.js_errors == []
