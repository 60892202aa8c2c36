"""A real recording for the replay benchmarks: replay.js in Chromium on a shop-like page,
scripted for about 30 seconds (mouse, scroll, masked typing, add-to-cart clicks with DOM
changes and API calls, a rage click, single-page navigations). The recorder's own batches are
captured (decoded) and kept in data/bench/recording.json, so later runs reuse them.

    .venv/bin/python benchmarks/ingest_recording.py          # record (again) and summarize
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "data" / "bench" / "recording.json"

NAMES = ["Linen shirt", "Trail shoes", "Ceramic mug", "Desk lamp", "Wool scarf"]
SVG = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='160' height='120'%3E"
    "%3Crect width='160' height='120' fill='%23{color:06x}'/%3E%3C/svg%3E"
)
PRODUCTS = "".join(
    f"""<article class=card data-id={i}>
  <img alt="" width=160 height=120 src="{SVG.format(color=(i * 2654435761) % 0xFFFFFF)}">
  <h3>Product {i}: {NAMES[i % 5]}</h3>
  <p class=desc>{"Hand-made, ships in two days. " * (1 + i % 3)}</p>
  <p class=price>{9 + (i * 7) % 90}.99 €</p>
  <button class=add data-id={i}>Add to cart</button>
</article>"""
    for i in range(48)
)

PAGE = f"""
<style>
  body {{ font-family: sans-serif; margin: 0; }}
  header {{ display: flex; gap: 1em; padding: 1em; background: #223; color: white; }}
  main {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 1em; padding: 1em; }}
  .card {{ border: 1px solid #ccc; padding: .5em; border-radius: 6px; }}
  aside {{ position: fixed; right: 0; top: 4em; width: 220px; background: #f4f4f4; }}
</style>
<header>
  <a href="#" id=home>Shop</a><input id=search placeholder="Search" autocomplete=off>
  <input id=email type=email placeholder="Newsletter e-mail"><button id=next>Next page</button>
  <span id=count>0 items</span>
</header>
<aside><h2>Cart</h2><ul id=cart></ul><p id=total>0.00 €</p></aside>
<main id=grid>{PRODUCTS}</main>
<script>
  let items = 0, page = 1;
  document.addEventListener('click', async (e) => {{
    const button = e.target.closest('button.add');
    if (!button) return;
    const li = document.createElement('li');
    li.textContent = button.parentElement.querySelector('h3').textContent;
    document.querySelector('#cart').append(li);
    items += 1;
    document.querySelector('#count').textContent = items + ' items';
    const body = JSON.stringify({{id: button.dataset.id}});
    const r = await fetch('/api/cart', {{method: 'POST', body}});
    const total = (items * 19.99).toFixed(2);
    document.querySelector('#total').textContent = total + ' € (' + r.status + ')';
    if (items % 4 === 0) console.error('Price service slow for item ' + button.dataset.id);
  }});
  document.querySelector('#search').addEventListener('input', (e) => {{
    const q = e.target.value.toLowerCase();
    document.querySelectorAll('.card').forEach((card) => {{
      card.style.display = card.textContent.toLowerCase().includes(q[0] || '') ? '' : 'none';
    }});
  }});
  document.querySelector('#next').addEventListener('click', () => {{
    page += 1;
    history.pushState({{page}}, '', '/shop?page=' + page);
    document.querySelectorAll('.card h3').forEach((h, i) => {{
      h.textContent = 'Page ' + page + ' product ' + i;
    }});
    fetch('/api/products?page=' + page);
  }});
</script>
"""


def _build_replay_js() -> bytes:
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    return (ROOT / "static" / "dist" / "replay.js").read_bytes()


def record() -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.recorder.sites import Site, page_html, recorder_tag
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    script = _build_replay_js()
    site = Site(lambda: script)
    try:
        tag = recorder_tag(site.url("/static/replay.js"), org_id="org_bench")
        url = site.add_page("/shop", page_html(PAGE, script=tag))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 800})
            page.goto(url)
            page.wait_for_function("window.qorrelate && window.qorrelate.version")
            page.evaluate("qorrelate.identify('bench-user-1', {plan: 'pro'})")
            for round_ in range(6):
                for x, y in ((100, 200), (700, 450), (1200, 300), (400, 650)):
                    page.mouse.move(x + round_ * 10, y, steps=12)
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(400)
                buttons = page.locator("button.add")
                for k in range(3):
                    buttons.nth(round_ * 5 + k).click()
                    page.wait_for_timeout(250)
                page.type("#search", f"linen {round_}", delay=40)
                page.fill("#search", "")
                if round_ == 2:
                    for _ in range(4):  # a rage click
                        page.click("#count")
                page.type("#email", f"person{round_}@example.test", delay=30)
                page.click("#next")
                page.mouse.wheel(0, -600)
                page.wait_for_timeout(2500)
            page.evaluate("qorrelate.stop()")
            page.wait_for_timeout(1500)
            browser.close()
        return site.intake.accepted()
    finally:
        site.close()


def load_or_record() -> list[dict]:
    if CACHE.exists():
        return json.loads(CACHE.read_text())
    batches = record()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(batches))
    return batches


def summary(batches: list[dict]) -> str:
    import gzip

    raw = [len(json.dumps(b).encode()) for b in batches]
    gz = [len(gzip.compress(json.dumps(b).encode())) for b in batches]
    events = sum(len(b["events"]) for b in batches)
    return (
        f"{len(batches)} batches, {events} events, {sum(raw) / 1024:.0f} KiB JSON "
        f"({sum(gz) / 1024:.0f} KiB gzip; per batch {min(gz) / 1024:.1f}–{max(gz) / 1024:.1f} KiB)"
    )


if __name__ == "__main__":
    CACHE.unlink(missing_ok=True)
    print(summary(load_or_record()))
