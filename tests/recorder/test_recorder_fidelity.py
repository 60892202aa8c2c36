"""Nothing lost to the recorder's economies (mutation coalescing, the compression worker): after
the benchmark's heavy workloads — the single-page app re-rendering its 10,000-row table, changing
routes and filling a form, and the dashboard rewriting its cells five times a second — the page
rebuilt from the uploaded events by rrweb's own Replayer is the page the visitor saw."""

import json
from pathlib import Path

from .sites import wait_until

ROOT = Path(__file__).resolve().parents[2]
BENCH_PAGES = ROOT / "benchmarks" / "recorder"
RRWEB = ROOT / "node_modules" / "rrweb" / "dist" / "rrweb.umd.min.cjs"

# What both sides are compared on: every element of <body> with its tag, id, class and data-id,
# and its own text. Scripts are not recorded (slimDOM), style sheets come back normalised
# (`margin: 0` is `margin: 0px`), input values are masked in the
# recording, and rrweb's replayer adds its own attributes, so those are left out.
OUTLINE = r"""(root) => {
  const out = [];
  const walk = (el, depth) => {
    if (['SCRIPT', 'NOSCRIPT', 'STYLE'].includes(el.tagName)) return;
    const text = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
    // The replayer marks the element under its mouse with a ':hover' class.
    const classes = (el.getAttribute('class') || '').split(/\s+/).filter((c) => c && c[0] !== ':');
    out.push([depth, el.tagName.toLowerCase(), el.id, classes.join(' '),
      el.getAttribute('data-id') || '', text].join('|'));
    for (const child of el.children) walk(child, depth + 1);
  };
  walk(root, 0);
  return out;
}"""


def bench_page(name: str) -> str:
    """A benchmark page's body and scripts, as the recorder's test site serves pages."""
    html = (BENCH_PAGES / name).read_text()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    body = html.split("<body>", 1)[1].split("</body>", 1)[0]
    return f"<style>{style}</style>{body}"


def replayed_outline(page, site, events) -> list[str]:
    """Rebuilds the page from the events with rrweb's Replayer, at the last event."""
    site.add_page("/events.json", json.dumps(events))
    site.add_page(
        "/replayer.html",
        f"<!doctype html><html><head><script>{RRWEB.read_text()}</script></head>"
        "<body><div id='player'></div></body></html>",
    )
    page.goto(site.url("/replayer.html"))
    return page.evaluate(
        """async (outline) => {
          const events = await (await fetch('/events.json')).json();
          const replayer = new rrweb.Replayer(events, {
            root: document.getElementById('player'), showWarning: false, mouseTail: false,
          });
          // rrweb plays events in time order; the list is in upload order, where a long task
          // or a web vital reported late carries its own (earlier) time: play to the latest.
          const first = events.reduce((t, e) => Math.min(t, e.timestamp), Infinity);
          const last = events.reduce((t, e) => Math.max(t, e.timestamp), -Infinity);
          const end = last - first;
          replayer.pause(end);
          return eval(outline)(replayer.iframe.contentDocument.body);
        }""",
        OUTLINE,
    )


def recorded_until(page, site, name: str) -> None:
    """A timeline event thaws the DOM changes still held back, so once it is at the intake,
    every change before it is too."""
    page.evaluate(f"window.qorrelate.event({name!r}); window.qorrelate.flush()")
    wait_until(
        page,
        lambda: any(p["name"] == name for p in site.intake.custom("qorrelate.event")),
        message=f"{name!r} at the intake ({[u.status for u in site.intake.uploads]})",
    )


def check_replay(page, site, original: list[str], minimum: int) -> None:
    events = site.intake.events()
    assert not site.intake.custom("qorrelate.dropped"), "events were dropped"
    assert sum(1 for e in events if e["type"] == 2) >= 1

    replayed = replayed_outline(page, site, events)

    assert len(original) > minimum
    first_difference = next(
        (i for i, (a, b) in enumerate(zip(replayed, original, strict=False)) if a != b), None
    )
    assert first_difference is None, (
        first_difference,
        replayed[first_difference],
        original[first_difference],
    )
    assert len(replayed) == len(original)


def test_the_single_page_app_rebuilt_from_the_recording_is_the_page_after_its_journey(
    recorder_page, site, page
):
    recorder_page(bench_page("spa.html"), flush_interval=1000)
    page.wait_for_function("window.qorrelate && window.__activity")
    # The whole journey (sorts and filters of the 10,000-row table, the form route, typing, back
    # to the table, a live update), two steps at a time; each pair is at the intake before the
    # next starts, so a slow test machine does not fill the recorder's memory bound.
    for pair in range(5):
        page.evaluate("window.__activity(1000)")
        if pair == 2:
            page.click("#search")
            page.keyboard.type("order 4")
            page.mouse.wheel(0, 600)
        recorded_until(page, site, f"steps {pair}")
    original = page.evaluate(f"({OUTLINE})(document.body)")
    recorded_until(page, site, "journey done")

    check_replay(page, site, original, minimum=10000)


def test_the_dashboard_rebuilt_from_the_recording_is_the_page_after_its_burst_of_mutations(
    recorder_page, site, page
):
    recorder_page(bench_page("page.html"), flush_interval=1000)
    page.wait_for_function("window.qorrelate && window.__activity")
    page.evaluate("window.__done = window.__activity(3000)")
    page.click("#search")
    page.keyboard.type("order 4")
    page.mouse.wheel(0, 600)
    page.evaluate("window.__done")
    original = page.evaluate(f"({OUTLINE})(document.body)")
    recorded_until(page, site, "workload done")

    check_replay(page, site, original, minimum=400)
