"""``@qorrelate/node`` as customers get it: ``npm pack`` of sdks/node installed with npm into a
fresh app beside @opentelemetry/sdk-node, Express and Fastify; that app exports with the stock
OTLP/HTTP exporters to a live Qorrelate, where the spans (server, child) and logs of each
request are found on the browser's session."""

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from apps.orgs.snippets import NODE_PACKAGES, node_telemetry
from tests.sdks.packages import (
    SDKS,
    npm_pack,
    npm_project,
    run,
    tarball_manifest,
    tarball_names,
)
from tests.support.live import free_port, stop_process, wait_for_port

APP = Path(__file__).parent / "apps" / "node"
# The customer's app installs the onboarding page's npm line (the tarball for @qorrelate/node)
# plus its own framework and tools, at the versions sdks/node tests with.
APP_DEPENDENCIES = [
    "@opentelemetry/instrumentation",
    "@opentelemetry/instrumentation-express",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/sdk-logs",
    "express",
    "fastify",
    "typescript",
    "@types/node",
]


@pytest.fixture(scope="module")
def node_tarball(tmp_path_factory):
    return npm_pack(SDKS / "node", tmp_path_factory.mktemp("node-sdk"))


@pytest.fixture(scope="module")
def customer_app(node_tarball, tmp_path_factory):
    """A new project that ``npm install``s the tarball (from npm's cache when it can)."""
    versions = json.loads((SDKS / "node" / "package.json").read_text())["devDependencies"]
    dependencies = {name: versions[name] for name in [*NODE_PACKAGES[1:], *APP_DEPENDENCIES]}
    dependencies[NODE_PACKAGES[0]] = f"file:{node_tarball}"
    app = npm_project(tmp_path_factory.mktemp("node-customer"), dependencies)
    for source in APP.iterdir():
        shutil.copy(source, app / source.name)
    return app


def test_the_tarball_holds_both_builds_their_types_the_readme_and_the_changelog(node_tarball):
    names = {n.removeprefix("package/") for n in tarball_names(node_tarball)}
    manifest = tarball_manifest(node_tarball)

    assert {
        "package.json",
        "README.md",
        "CHANGELOG.md",
        "dist/esm/index.js",
        "dist/esm/index.d.ts",
        "dist/cjs/index.js",
        "dist/cjs/index.d.ts",
        "dist/cjs/package.json",
    } <= names
    assert not [n for n in names if n.startswith(("src/", "test/", "node_modules/"))], names
    assert (manifest["name"], manifest["version"]) == ("@qorrelate/node", "0.1.0")
    assert "dependencies" not in manifest  # the OpenTelemetry API is the only (peer) one
    assert manifest["peerDependencies"] == {"@opentelemetry/api": "^1.3.0"}
    assert node_tarball.stat().st_size < 20_000


def test_the_package_unit_tests_pass(node_tarball):
    result = run(["npm", "test", "--silent"], cwd=SDKS / "node")

    assert "# fail 0" in result.stdout
    assert "# pass 10" in result.stdout


def test_the_installed_package_loads_as_esm_and_as_commonjs_alike(customer_app):
    names = "console.log(JSON.stringify(Object.keys(q).sort()))"
    cjs = run(["node", "-e", f"const q = require('@qorrelate/node'); {names}"], cwd=customer_app)
    esm = run(
        ["node", "--input-type=module", "-e", f"import * as q from '@qorrelate/node'; {names}"],
        cwd=customer_app,
    )

    exported = json.loads(cjs.stdout)
    assert exported == json.loads(esm.stdout)
    assert {
        "SessionIdSpanProcessor",
        "SessionIdLogProcessor",
        "qorrelateExpress",
        "qorrelateFastify",
        "ERROR_HEADER",
        "withSession",
    } <= set(exported)


def test_the_installed_types_fit_the_sdk_for_esm_and_commonjs_consumers(customer_app):
    # types.mts assigns the processors to the SDK's SpanProcessor / LogRecordProcessor types.
    run(
        [
            "node_modules/.bin/tsc",
            "--noEmit",
            "--strict",
            "--skipLibCheck",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "--types",
            "node",
            "types.mts",
            "types.cts",
        ],
        cwd=customer_app,
    )


@pytest.fixture
def node_shop(customer_app, live_qorrelate, org_a, ingest_key, tmp_path):
    ports = {"express": free_port(), "fastify": free_port()}
    (customer_app / "telemetry.cjs").write_text(node_telemetry(live_qorrelate.url))
    log = tmp_path / "node-shop.log"
    proc = subprocess.Popen(
        ["node", "shop.cjs"],
        cwd=customer_app,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "QORRELATE_URL": live_qorrelate.url,
            "QORRELATE_INGEST_KEY": ingest_key(org_a),
            "EXPRESS_PORT": str(ports["express"]),
            "FASTIFY_PORT": str(ports["fastify"]),
        },
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for port in ports.values():
        wait_for_port(port, proc=proc, timeout=60)
    yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}, log
    stop_process(proc)


TRACE = "7c1d9e2b7d3f4a6b8c0d1e2f3a4b5c6d"
BROWSER_SPAN = "2f2e3d4c5b6a7980"


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_express_and_fastify_export_spans_and_logs_onto_their_sessions(
    node_shop, live_api, org_a, replay_session
):
    urls, log = node_shop
    sessions = {name: f"c2d3a7e0-{name[:4]}-4c3d-9e8f-0a1b2c3d4e5f" for name in urls}
    traces = {name: TRACE[:-1] + str(i) for i, name in enumerate(urls)}
    start_ms = int(time.time() * 1000) - 5_000
    replies = {}
    for name, url in urls.items():
        replay_session(org_a, sessions[name], start_ms)
        sid = sessions[name]
        replies[name] = (
            requests.get(
                url + "/cart",
                headers={
                    "X-Session-ID": sid,
                    "traceparent": f"00-{traces[name]}-{BROWSER_SPAN}-01",
                },
                timeout=10,
            ),
            requests.post(url + "/checkout", headers={"baggage": f"session.id={sid}"}, timeout=10),
            requests.get(url + "/inventory", headers={"X-Session-ID": sid}, timeout=10),
        )
    assert requests.post(urls["express"] + "/_flush", timeout=30).json() == {"flushed": True}

    for name, (cart, checkout, inventory) in replies.items():
        sid = sessions[name]
        assert cart.json() == {"items": 3, "session": sid}, log.read_text()
        assert "X-Qorrelate-Error" not in cart.headers
        assert (checkout.status_code, checkout.json()) == (200, {"ok": False})
        assert checkout.headers["X-Qorrelate-Error"] == "1"
        assert inventory.status_code == 500
        assert inventory.headers["X-Qorrelate-Error"] == "1"

        found = live_api(f"/api/v1/sessions/{sid}/traces")["traces"]
        assert len(found) == 3, (name, found)
        by_trace = {t["trace_id"]: t for t in found}
        assert by_trace[traces[name]]["is_error"] is False
        assert sorted(t["is_error"] for t in found) == [False, True, True]
        assert all(t["offset_ms"] is not None for t in found)
        assert {t["root_span"]["service_name"] for t in found} == {"my-backend"}

        cart_trace = live_api(f"/api/v1/traces/{traces[name]}")
        assert cart_trace["session_id"] == sid
        spans = cart_trace["spans"]
        server = next(s for s in spans if s["kind"] == "server")
        assert server["parent_span_id"] == BROWSER_SPAN
        assert server["attributes"]["session.id"] == sid
        child = next(s for s in spans if s["name"] == "load cart")
        assert child["attributes"]["session.id"] == sid
        assert child["attributes"]["cart.items"] == 3
        assert child["depth"] >= 1

        logs = live_api(f"/api/v1/sessions/{sid}/logs")["results"]
        assert [(r["body"], r["severity_text"]) for r in logs] == [
            (f"cart loaded ({name})", "INFO"),
            ("payment declined for order 42", "ERROR"),
        ]
        assert logs[0]["trace_id"] == traces[name]
        assert logs[0]["span_id"] == child["span_id"]
