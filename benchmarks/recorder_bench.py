"""Side-by-side benchmark of replay.js and peer session-replay SDKs in headless Chromium.

For each configuration (no recorder, replay.js, Sentry Replay, PostHog, OpenReplay) the same
scripted pages run the same script while Playwright moves the mouse, scrolls and types. Two
pages (``--page``, both by default): ``dashboard`` (``recorder/page.html``, mutation-heavy: 300
cells rewritten and 60 of 400 rows swapped every 200 ms) and ``spa`` (``recorder/spa.html``, a
single-page app: a 10,000-row table re-rendered by sorting and filtering, pushState route
changes, a form filled in). Each page does a fixed amount of work per run, on a fixed schedule,
so a recorder that slows the page does not get less to record. Measured in one run, side by side:

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
        [--page dashboard|spa] [--compare-js OLD_BUILD_OF_replay.js]

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
PAGES = {"dashboard": "page.html", "spa": "spa.html"}
PAGE_TITLES = {
    "dashboard": "mutation-heavy dashboard (300 cells rewritten, 60 of 400 rows swapped every"
    " 200 ms)",
    "spa": "single-page app (10,000-row table sorted and filtered, pushState routes, a form"
    " filled in; one step every 500 ms)",
}
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
    heap_bytes: float = 0.0


COMPARED = "replay.js (compared)"


def build(out: Path, compare_js: Path | None = None) -> None:
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    for name in ("replay.js", "replay-worker.js"):
        if (ROOT / "static" / "dist" / name).is_file():
            (out / name).write_bytes((ROOT / "static" / "dist" / name).read_bytes())
    if compare_js:
        (out / "replay-compared.js").write_bytes(compare_js.read_bytes())
    subprocess.run(
        ["node", str(HERE / "build_peers.mjs"), str(out)], cwd=ROOT, check=True, capture_output=True
    )


def serve(build_dir: Path) -> ThreadingHTTPServer:
    templates = {name: (HERE / file).read_text() for name, file in PAGES.items()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 - http.server's naming
            path = urlsplit(self.path).path
            if path.startswith("/page/"):
                page_name, _, config_name = path[6:].partition("/")
                config = next(c for c in CONFIGS if c.name == config_name.replace("%20", " "))
                tag = f'<script src="/sdk/{config.script}"{config.attrs}></script>'
                body = templates[page_name].replace("<!--SDK-->", tag if config.script else "")
                body = body.encode()
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


def run_one(
    browser, base: str, page_name: str, config: Config, seconds: int, build_dir: Path
) -> Result:
    traffic = Traffic()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(LONGTASKS)
    context.route("**/*", make_router(traffic))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(f"{base}/page/{page_name}/{config.name}", wait_until="load")
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
    cdp.send("HeapProfiler.collectGarbage")
    heap = metrics(cdp)["JSHeapUsedSize"]
    tasks = page.evaluate("window.__longtasks")
    tbt = sum(max(0.0, d - 50) for start, d in tasks if t0 <= start <= t1)
    busy = (after["ThreadTime"] - before["ThreadTime"]) * 1000

    page.wait_for_timeout(8000)  # let periodic flushes happen
    with traffic.lock:
        uploaded, uploads = traffic.upload_bytes, traffic.uploads
    context.close()

    sdk_bytes = (build_dir / config.script).read_bytes() if config.script else b""
    worker = build_dir / "replay-worker.js"
    if config.script == "replay.js" and worker.is_file():  # lazy-loaded on the first batch
        traffic.lazy_scripts["replay-worker.js"] = worker.read_bytes()
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


def spread(results: list[Result], attr: str) -> str:
    values = sorted(getattr(r, attr) for r in results)
    return f"{values[0]:.0f}–{values[-1]:.0f}" if len(values) > 1 else f"{values[0]:.0f}"


def table(page_name: str, runs: dict[str, list[Result]], seconds: int, rounds: int) -> str:
    results = [median_result(rs) for rs in runs.values()]
    base = results[0]
    lines = [
        f"Page `{page_name}`: {PAGE_TITLES[page_name]}; {seconds} s of activity with mouse,"
        f" scroll and typing; median of {rounds} round(s) (CPU spread: min–max of the rounds).",
        "",
        "| SDK | gzip size | TBT | TBT added | main-thread CPU (spread) | CPU added "
        "| JS heap after | heap added | uploaded per minute | upload requests |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r, rs in zip(results, runs.values(), strict=True):
        size = f"{r.gzip_bytes / 1024:.1f} KB" if r.gzip_bytes else "—"
        is_base = r is base
        added = "baseline" if is_base else f"{r.busy_ms - base.busy_ms:+.0f} ms"
        tbt_added = "—" if is_base else f"{r.tbt_ms - base.tbt_ms:+.0f} ms"
        heap_added = "—" if is_base else f"{(r.heap_bytes - base.heap_bytes) / 2**20:+.1f} MB"
        upload = f"{r.bytes_per_min / 1024:.1f} KB" if not is_base else "—"
        lines.append(
            f"| {r.name} | {size} | {r.tbt_ms:.0f} ms | {tbt_added} "
            f"| {r.busy_ms:.0f} ms ({spread(rs, 'busy_ms')}) | {added} "
            f"| {r.heap_bytes / 2**20:.1f} MB | {heap_added} | {upload} | {r.uploads} |"
        )
    lines += ["", *goals(results)]
    return "\n".join(lines)


PEERS = ("Sentry Replay", "PostHog", "OpenReplay")


def goals(results: list[Result]) -> list[str]:
    """The issue's ratios: replay.js against the lightest peer on each measure."""
    by_name = {r.name: r for r in results}
    base, ours = results[0], by_name.get("replay.js")
    peers = [by_name[n] for n in PEERS if n in by_name]
    if not ours or not peers:
        return []
    cpu = {p.name: p.busy_ms - base.busy_ms for p in peers}
    heap = {p.name: p.heap_bytes - base.heap_bytes for p in peers}
    up = {p.name: p.bytes_per_min for p in peers}
    lightest_cpu, lightest_heap = min(cpu, key=cpu.get), min(heap, key=heap.get)
    lightest_up = min(up, key=up.get)
    cpu_ratio = (ours.busy_ms - base.busy_ms) / cpu[lightest_cpu]
    up_ratio = ours.bytes_per_min / up[lightest_up]
    ours_heap = ours.heap_bytes - base.heap_bytes
    tbt_added = ours.tbt_ms - base.tbt_ms

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    return [
        f"* CPU added: {cpu_ratio:.2f}× the lightest peer's ({lightest_cpu}); goal ≤ 0.8×:"
        f" {met(cpu_ratio <= 0.8)}",
        f"* TBT added: {tbt_added:+.0f} ms; goal ≤ 20 ms: {met(tbt_added <= 20)}",
        f"* uploaded: {up_ratio:.2f}× the lightest peer's ({lightest_up}); goal ≤ 0.5×:"
        f" {met(up_ratio <= 0.5)}",
        f"* heap added: {ours_heap / 2**20:+.1f} MB against {lightest_heap}'s"
        f" {heap[lightest_heap] / 2**20:+.1f} MB; goal ≤ the lightest peer's:"
        f" {met(ours_heap <= heap[lightest_heap])}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="activity per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per SDK (median)")
    parser.add_argument("--only", action="append", help="SDK names to run (baseline always runs)")
    parser.add_argument("--compare-js", type=Path, help="another replay.js build to run beside it")
    parser.add_argument(
        "--page", action="append", choices=sorted(PAGES), help="pages to run (default: both)"
    )
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
        pages = args.page or list(PAGES)
        runs = {p: {c.name: [] for c in configs} for p in pages}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for round_no in range(args.rounds):
                for page_name in pages:
                    for config in configs:  # interleaved, so machine noise hits every SDK alike
                        result = run_one(browser, base, page_name, config, args.seconds, build_dir)
                        runs[page_name][config.name].append(result)
                        print(
                            f"round {round_no + 1} {page_name} {config.name}: "
                            f"TBT {result.tbt_ms:.0f} ms, CPU {result.busy_ms:.0f} ms, "
                            f"heap {result.heap_bytes / 2**20:.1f} MB, {result.uploads} uploads, "
                            f"{result.bytes_per_min / 1024:.1f} KB/min",
                            flush=True,
                        )
            browser.close()
        server.shutdown()
    for page_name in pages:
        print()
        print(table(page_name, runs[page_name], args.seconds, args.rounds))


if __name__ == "__main__":
    main()
