"""Where replay.js's main-thread time goes: a V8 CPU profile of one benchmark page.

Loads a page of ``recorder_bench.py`` (``--page dashboard|spa``) with the built replay.js (or
``--js`` another build) in headless Chromium, runs its activity with the same mouse, scroll and
typing, records a CPU profile through the DevTools protocol (Playwright CDP session) and prints
the self time per function and per script, heaviest first.

    .venv/bin/python benchmarks/recorder_profile.py --page spa --seconds 10 [--js FILE] [--top 30]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from recorder_bench import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONFIGS,
    ROOT,
    Traffic,
    build,
    make_router,
    serve,
)


def self_times(profile: dict) -> tuple[dict, dict, float]:
    nodes = {n["id"]: n for n in profile["nodes"]}
    ticks = defaultdict(int)
    for sample in profile["samples"]:
        ticks[sample] += 1
    deltas = profile.get("timeDeltas") or []
    total_ms = sum(deltas) / 1000
    per_tick = total_ms / max(1, len(profile["samples"]))
    by_fn, by_script = defaultdict(float), defaultdict(float)
    for node_id, count in ticks.items():
        frame = nodes[node_id]["callFrame"]
        url = frame["url"]
        url = "(the page)" if "/page/" in url else url.rsplit("/", 1)[-1] or "(native)"
        name = frame["functionName"] or "(anonymous)"
        where = f"{name} {url}:{frame['lineNumber'] + 1}:{frame['columnNumber'] + 1}"
        by_fn[where] += count * per_tick
        by_script[url] += count * per_tick
    return by_fn, by_script, total_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", default="spa", choices=["dashboard", "spa"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--js", type=Path, help="another replay.js build to profile")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    config = next(c for c in CONFIGS if c.name == "replay.js")
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = Path(tmp)
        build(build_dir)
        # Readable function names: the same bundle, not minified.
        subprocess.run(["node", "static/build.mjs", "--unminified"], cwd=ROOT, check=True)
        (build_dir / "replay.js").write_bytes((ROOT / "static/dist/replay.js").read_bytes())
        subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
        if args.js:
            (build_dir / "replay.js").write_bytes(args.js.read_bytes())
        server = serve(build_dir)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route("**/*", make_router(Traffic()))
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            page.goto(f"{base}/page/{args.page}/{config.name}", wait_until="load")
            page.wait_for_timeout(2500)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 500})
            cdp.send("Profiler.start")
            page.evaluate(f"window.__done = window.__activity({args.seconds * 1000})")
            deadline, step = time.monotonic() + args.seconds, 0
            while time.monotonic() < deadline:
                step += 1
                page.mouse.move(100 + (step * 97) % 1000, 100 + (step * 53) % 600, steps=8)
                if step % 4 == 0:
                    page.mouse.wheel(0, 300 if step % 8 else -300)
                if step % 6 == 0:
                    page.click("#search")
                    page.keyboard.type("order 4", delay=20)
                page.wait_for_timeout(150)
            page.evaluate("window.__done")
            page.wait_for_timeout(6000)  # the flushes after the activity
            profile = cdp.send("Profiler.stop")["profile"]
            browser.close()
        server.shutdown()

    by_fn, by_script, total = self_times(profile)
    busy = total - by_fn.get("(idle) (native):0:0", 0.0)
    print(f"profile: {total:.0f} ms sampled, {busy:.0f} ms not idle")
    print("\nself time per script:")
    for url, ms in sorted(by_script.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {ms:8.0f} ms  {url}")
    print(f"\nself time per function (top {args.top}):")
    for where, ms in sorted(by_fn.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {ms:8.0f} ms  {100 * ms / busy:5.1f} %  {where}")


if __name__ == "__main__":
    main()
