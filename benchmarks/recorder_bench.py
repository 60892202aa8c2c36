"""Side-by-side benchmark of replay.js and peer session-replay SDKs in headless Chromium.

For each configuration (no recorder, replay.js, Sentry Replay, PostHog, OpenReplay) the same
scripted page runs the same mutation-heavy script while Playwright moves the mouse, scrolls and
types. Measured in one run, side by side:

* gzip size of the JavaScript the SDK needs to record (its bundle plus what it lazy-loads),
* main-thread blocking during the activity: total blocking time (sum of long tasks' time past
  50 ms) and the renderer main thread's CPU time (Chromium's ThreadTime, less sensitive than wall
  time to other processes on a shared machine), next to the no-recorder baseline,
* bytes uploaded per minute of activity: request bodies as sent (compressed if the SDK
  compresses), from page load until 8 s after the activity ends.
* JS heap after the activity (Chromium's JSHeapUsedSize after a forced garbage collection), next
  to the baseline's: with "replay.js (on error)" (``data-record="on-error"``, nothing uploaded
  until an error) it shows what the replay-on-error buffer holds. Unload-time beacons are not
  counted for any SDK: Playwright cannot route requests of a page being unloaded (and the host
  resolver rule makes them fail), so the run ends with the page still open.

Every request to a non-local host is intercepted with Playwright routing, counted and answered
locally (fake handshakes for the peers); the browser also maps every other host name to
NOTFOUND, so nothing is ever sent anywhere.

    .venv/bin/python benchmarks/recorder_bench.py [--seconds 30] [--rounds 3] [--only replay.js]
        [--compare-js OLD_BUILD_OF_replay.js]

``--compare-js`` runs a second build of replay.js (say, main's) side by side as
"replay.js (compared)", with the same attributes, so a change to the recorder is measured
against what it changes in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "recorder"
POSTHOG_DIST = ROOT / "node_modules" / "posthog-js" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Belt and braces: whatever routing would miss cannot resolve a host name.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

LONGTASKS = """
window.__longtasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
"""

CORS = {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS",
}

POSTHOG_REMOTE_CONFIG = {
    "sessionRecording": {"endpoint": "/s/"},
    "supportedCompression": ["gzip", "gzip-js"],
    "featureFlags": {},
    "flags": {},
    "featureFlagPayloads": {},
    "errorsWhileComputingFlags": False,
    "autocapture_opt_out": True,
    "capturePerformance": False,
    "heatmaps": False,
    "surveys": False,
    "siteApps": [],
}

OPENREPLAY_START = {
    "token": "bench-token",
    "userUUID": "00000000-0000-4000-8000-000000000001",
    "projectID": "1",
    "sessionID": "1234567890",
    "delay": 0,
    "beaconSizeLimit": 3_000_000,
    "compressionThreshold": 24_000,
    "startTimestamp": None,
}


@dataclass
class Config:
    name: str
    script: str | None  # file in the build dir, or None for the baseline
    attrs: str = ""


CONFIGS = [
    Config("no recorder", None),
    Config(
        "replay.js",
        "replay.js",
        ' data-org-id="org_bench" data-endpoint="https://qorrelate.bench.invalid"',
    ),
    Config(
        "replay.js (on error)",
        "replay.js",
        ' data-org-id="org_bench" data-endpoint="https://qorrelate.bench.invalid"'
        ' data-record="on-error"',
    ),
    Config("Sentry Replay", "sentry.js"),
    Config("PostHog", "posthog.js"),
    Config("OpenReplay", "openreplay.js"),
]


@dataclass
class Traffic:
    upload_bytes: int = 0
    uploads: int = 0
    lazy_scripts: dict = field(default_factory=dict)
    hosts: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Result:
    name: str
    gzip_bytes: int
    tbt_ms: float
    busy_ms: float
    bytes_per_min: float
    uploads: int
    heap_bytes: float = 0


COMPARED = "replay.js (compared)"


def build(out: Path, compare_js: Path | None = None) -> None:
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    (out / "replay.js").write_bytes((ROOT / "static" / "dist" / "replay.js").read_bytes())
    if compare_js:
        (out / "replay-compared.js").write_bytes(compare_js.read_bytes())
    subprocess.run(
        ["node", str(HERE / "build_peers.mjs"), str(out)], cwd=ROOT, check=True, capture_output=True
    )


def serve(build_dir: Path) -> ThreadingHTTPServer:
    template = (HERE / "page.html").read_text()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's naming
            path = urlsplit(self.path).path
            if path.startswith("/page/"):
                config = next(c for c in CONFIGS if c.name == path[6:].replace("%20", " "))
                tag = f'<script src="/sdk/{config.script}"{config.attrs}></script>'
                body = template.replace("<!--SDK-->", tag if config.script else "").encode()
                kind = "text/html; charset=utf-8"
            elif path.startswith("/sdk/") and (build_dir / path[5:]).is_file():
                body, kind = (build_dir / path[5:]).read_bytes(), "text/javascript"
            else:
                body, kind = b"", "text/plain"
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_router(traffic: Traffic):
    """Answers every non-local request locally and counts what the SDKs upload."""

    def handle(route, request):
        url = urlsplit(request.url)
        if url.hostname == "127.0.0.1":
            return route.continue_()
        body = request.post_data_buffer or b""
        with traffic.lock:
            traffic.hosts.add(url.hostname)
            if body:
                traffic.upload_bytes += len(body)
                traffic.uploads += 1
        if request.method == "OPTIONS":
            return route.fulfill(status=204, headers=CORS)
        host, path = url.hostname or "", url.path
        if host.startswith("posthog"):
            if path.startswith("/static/") and (POSTHOG_DIST / Path(path).name).is_file():
                script = (POSTHOG_DIST / Path(path).name).read_bytes()
                traffic.lazy_scripts[Path(path).name] = script
                return route.fulfill(
                    status=200, body=script, headers={**CORS, "content-type": "text/javascript"}
                )
            if any(k in path for k in ("/flags", "/decide", "/config")):
                if path.endswith(".js"):
                    js = (
                        f"window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {{}};"
                        f"window._POSTHOG_REMOTE_CONFIG['phc_benchmark_token'] = "
                        f"{{config: {json.dumps(POSTHOG_REMOTE_CONFIG)}, siteApps: []}};"
                    )
                    return route.fulfill(
                        status=200, body=js, headers={**CORS, "content-type": "text/javascript"}
                    )
                return route.fulfill(status=200, json=POSTHOG_REMOTE_CONFIG, headers=CORS)
            return route.fulfill(status=200, json={"status": 1}, headers=CORS)
        if host.startswith("openreplay") and path.endswith("/v1/web/start"):
            start = {**OPENREPLAY_START, "startTimestamp": int(time.time() * 1000)}
            return route.fulfill(status=200, json=start, headers=CORS)
        return route.fulfill(status=200, json={"ok": True}, headers=CORS)

    return handle


def metrics(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def run_one(browser, base: str, config: Config, seconds: int, build_dir: Path) -> Result:
    traffic = Traffic()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(LONGTASKS)
    context.route("**/*", make_router(traffic))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(f"{base}/page/{config.name}", wait_until="load")
    page.wait_for_timeout(2500)  # SDK start, handshakes, first snapshot

    before = metrics(cdp)
    t0 = page.evaluate("performance.now()")
    page.evaluate(f"window.__done = window.__activity({seconds * 1000})")
    deadline = time.monotonic() + seconds
    step = 0
    while time.monotonic() < deadline:
        step += 1
        x, y = 100 + (step * 97) % 1000, 100 + (step * 53) % 600
        page.mouse.move(x, y, steps=8)
        if step % 4 == 0:
            page.mouse.wheel(0, 300 if step % 8 else -300)
        if step % 6 == 0:
            page.click("#search")
            page.keyboard.type("order 4", delay=20)
        page.wait_for_timeout(150)
    page.evaluate("window.__done")
    t1 = page.evaluate("performance.now()")
    after = metrics(cdp)
    tasks = page.evaluate("window.__longtasks")
    tbt = sum(max(0.0, d - 50) for start, d in tasks if t0 <= start <= t1)
    busy = (after["ThreadTime"] - before["ThreadTime"]) * 1000
    cdp.send("HeapProfiler.collectGarbage")
    heap = metrics(cdp)["JSHeapUsedSize"]

    page.wait_for_timeout(8000)  # let periodic flushes happen
    with traffic.lock:
        uploaded, uploads = traffic.upload_bytes, traffic.uploads
    context.close()

    sdk_bytes = (build_dir / config.script).read_bytes() if config.script else b""
    lazy = b"".join(traffic.lazy_scripts.values())
    size = len(gzip.compress(sdk_bytes, 9)) + (len(gzip.compress(lazy, 9)) if lazy else 0)
    return Result(
        name=config.name,
        gzip_bytes=size if config.script else 0,
        tbt_ms=tbt,
        busy_ms=busy,
        bytes_per_min=uploaded * 60 / seconds,
        uploads=uploads,
        heap_bytes=heap,
    )


def median_result(results: list[Result]) -> Result:
    return Result(
        name=results[0].name,
        gzip_bytes=results[0].gzip_bytes,
        tbt_ms=statistics.median(r.tbt_ms for r in results),
        busy_ms=statistics.median(r.busy_ms for r in results),
        bytes_per_min=statistics.median(r.bytes_per_min for r in results),
        uploads=int(statistics.median(r.uploads for r in results)),
        heap_bytes=statistics.median(r.heap_bytes for r in results),
    )


def table(results: list[Result], seconds: int, rounds: int) -> str:
    base = results[0]
    lines = [
        f"Activity: {seconds} s of mutations (300 cells rewritten, 60 of 400 rows swapped"
        f" every 200 ms), mouse, scroll and typing; median of {rounds} round(s).",
        "",
        "| SDK | gzip size | blocking time (TBT) | main-thread CPU | added CPU vs none "
        "| uploaded per minute | upload requests | JS heap after (GC) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        size = f"{r.gzip_bytes / 1024:.1f} KB" if r.gzip_bytes else "—"
        added = r.busy_ms - base.busy_ms
        ratio = f"{added:+.0f} ms" if r is not base else "baseline"
        upload = f"{r.bytes_per_min / 1024:.1f} KB" if r is not base else "—"
        lines.append(
            f"| {r.name} | {size} | {r.tbt_ms:.0f} ms | {r.busy_ms:.0f} ms | {ratio} "
            f"| {upload} | {r.uploads} | {r.heap_bytes / 1024 / 1024:.1f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="activity per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per SDK (median)")
    parser.add_argument("--only", action="append", help="SDK names to run (baseline always runs)")
    parser.add_argument("--compare-js", type=Path, help="another replay.js build to run beside it")
    args = parser.parse_args()
    if args.compare_js:
        CONFIGS.insert(2, Config(COMPARED, "replay-compared.js", CONFIGS[1].attrs))
        if args.only:
            args.only.append(COMPARED)

    from playwright.sync_api import sync_playwright

    configs = [c for c in CONFIGS if c.script is None or not args.only or c.name in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = Path(tmp)
        build(build_dir, args.compare_js)
        server = serve(build_dir)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        runs: dict[str, list[Result]] = {c.name: [] for c in configs}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for round_no in range(args.rounds):
                for config in configs:  # interleaved, so machine noise hits every SDK alike
                    result = run_one(browser, base, config, args.seconds, build_dir)
                    runs[config.name].append(result)
                    print(
                        f"round {round_no + 1} {config.name}: TBT {result.tbt_ms:.0f} ms, "
                        f"CPU {result.busy_ms:.0f} ms, {result.uploads} uploads, "
                        f"{result.bytes_per_min / 1024:.1f} KB/min",
                        flush=True,
                    )
            browser.close()
        server.shutdown()
    print()
    print(table([median_result(runs[c.name]) for c in configs], args.seconds, args.rounds))


if __name__ == "__main__":
    main()
