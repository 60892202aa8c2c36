"""Nothing lost to the recorder's economies (mutation coalescing, the compression worker): after
the benchmark's heavy workloads — the single-page app re-rendering its 10,000-row table, changing
routes and filling a form, and the dashboard rewriting its cells five times a second — the page
rebuilt from the uploaded events by rrweb's own Replayer is the page the visitor saw."""

import json
from pathlib import Path

import pytest

from .sites import wait_until

ROOT = Path(__file__).resolve().parents[2]
BENCH_PAGES = ROOT / "benchmarks" / "recorder"
RRWEB = ROOT / "node_modules" / "rrweb" / "dist" / "rrweb.umd.min.cjs"

# What both sides are compared on: every element of <body> with its tag, id, class and data-id,
# and its own text. Scripts are not recorded (slimDOM), input values are masked in the
# recording, and rrweb's replayer adds its own attributes, so those are left out.
OUTLINE = """(root) => {
  const out = [];
  const walk = (el, depth) => {
    if (el.tagName === 'SCRIPT' || el.tagName === 'NOSCRIPT') return;
    const text = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
    out.push([depth, el.tagName.toLowerCase(), el.id, el.getAttribute('class') || '',
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
          const end = events[events.length - 1].timestamp - events[0].timestamp;
          replayer.pause(end);
          return eval(outline)(replayer.iframe.contentDocument.body);
        }""",
        OUTLINE,
    )


@pytest.mark.parametrize(
    ("page_file", "activity_ms"),
    [("spa.html", 5000), ("page.html", 3000)],
    ids=["single-page app", "mutation-heavy dashboard"],
)
def test_the_page_rebuilt_from_the_recording_is_the_page_after_the_heavy_workload(
    recorder_page, site, page, page_file, activity_ms
):
    recorder_page(bench_page(page_file), flush_interval=1000)
    page.wait_for_function("window.qorrelate && window.__activity")
    page.evaluate(f"window.__done = window.__activity({activity_ms})")
    page.click("#search")
    page.keyboard.type("order 4")
    page.mouse.wheel(0, 600)
    page.evaluate("window.__done")
    original = page.evaluate(f"({OUTLINE})(document.body)")
    # A timeline event thaws the DOM changes still held back, so it arrives after all of them.
    page.evaluate("window.qorrelate.event('workload done'); window.qorrelate.flush()")
    wait_until(
        page,
        lambda: any(p["name"] == "workload done" for p in site.intake.custom("qorrelate.event")),
        message="the recording up to the end of the workload",
    )
    events = site.intake.events()
    assert not site.intake.custom("qorrelate.dropped"), "events were dropped"
    assert sum(1 for e in events if e["type"] == 2) >= 1

    replayed = replayed_outline(page, site, events)

    assert len(original) > (10000 if page_file == "spa.html" else 400)
    assert len(replayed) == len(original)
    assert replayed == original
