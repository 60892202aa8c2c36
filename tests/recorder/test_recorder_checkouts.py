"""Periodic full snapshots (rrweb checkouts): a page that keeps changing gets a fresh Meta +
FullSnapshot every `data-checkout-interval` ms, so a player can start anywhere in a long
session; an idle page gets none, and the default interval is minutes, not seconds."""

import json

from .sites import wait_until

TICKER = """<p id="tick">tick 0</p>
<script>
  let n = 0;
  setInterval(() => { n += 1; document.getElementById('tick').textContent = 'tick ' + n; }, 100);
</script>"""


def full_snapshots(site) -> list[dict]:
    return [e for e in site.intake.events() if e["type"] == 2]


def test_a_changing_page_gets_a_new_full_snapshot_every_checkout_interval(
    recorder_page, site, page
):
    recorder_page(TICKER, checkout_interval=1000)
    wait_until(page, lambda: len(full_snapshots(site)) >= 4, message="four full snapshots")

    events = site.intake.events()
    at = [i for i, e in enumerate(events) if e["type"] == 2]
    # Each checkout is a Meta event then the FullSnapshot, as at page load.
    assert all(events[i - 1]["type"] == 4 for i in at)
    stamps = [events[i]["timestamp"] for i in at]
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert all(gap >= 1000 for gap in gaps), gaps
    assert all(gap < 2500 for gap in gaps), gaps
    # A checkout serializes the page as it is then, not as it was at load.
    last = json.dumps(events[at[-1]]["data"]["node"])
    assert "tick 0" not in last and "tick " in last


def test_an_idle_page_takes_no_checkouts(recorder_page, site, page):
    recorder_page("<p>nothing moves here</p>", checkout_interval=1000)
    wait_until(page, lambda: full_snapshots(site), message="the page-load snapshot")
    page.wait_for_timeout(2500)
    page.evaluate("qorrelate.flush()")
    page.wait_for_timeout(300)

    assert len(full_snapshots(site)) == 1


def test_the_default_checkout_interval_is_minutes_not_seconds(recorder_page, site, page):
    recorder_page(TICKER)
    page.wait_for_timeout(2500)
    page.evaluate("qorrelate.flush()")
    wait_until(
        page,
        lambda: any("tick 2" in json.dumps(e) for e in site.intake.events()),
        message="the ticker's mutations",
    )

    assert len(full_snapshots(site)) == 1


def test_checkout_interval_zero_turns_checkouts_off(recorder_page, site, page):
    recorder_page(TICKER, checkout_interval=0)
    page.wait_for_timeout(2000)
    page.evaluate("qorrelate.flush()")
    wait_until(
        page,
        lambda: any("tick 15" in json.dumps(e) for e in site.intake.events()),
        message="the ticker's mutations",
    )

    assert len(full_snapshots(site)) == 1
