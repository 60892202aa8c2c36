"""``@qorrelate/browser`` as a single-page app gets it: ``npm pack`` of sdks/browser installed with
npm into a new project, imported by its TypeScript app, type-checked and bundled with esbuild, then
run in Chromium against a live Qorrelate. The same scenario through the script tag records a
session the API describes the same way: both come from one source."""

import json
import re

import orjson
import pytest
from rest_framework.test import APIClient

from apps.orgs.snippets import BROWSER_PACKAGE, browser_snippet
from tests.recorder.sites import Site, page_html, recorder_tag, wait_until
from tests.replay.checkout_page import FORM, PAGE, SECRET_EMAIL, SECRET_PASSWORD, check_out
from tests.sdks.packages import (
    ROOT,
    SDKS,
    npm_pack,
    npm_project,
    run,
    tarball_manifest,
    tarball_names,
)

APP = SDKS.parent / "tests" / "sdks" / "apps" / "browser"


def _declared_exports() -> list[str]:
    text = (SDKS / "browser" / "index.d.ts").read_text()
    return sorted(re.findall(r"^export function (\w+)", text, re.MULTILINE))


@pytest.fixture(scope="module")
def browser_tarball(tmp_path_factory):
    return npm_pack(SDKS / "browser", tmp_path_factory.mktemp("browser-sdk"))


@pytest.fixture(scope="module")
def spa_project(browser_tarball, tmp_path_factory):
    """The customer's project, with the tarball and its own esbuild and TypeScript installed."""
    project = tmp_path_factory.mktemp("spa")
    tools = {
        "esbuild": json.loads((ROOT / "package.json").read_text())["dependencies"]["esbuild"],
        "typescript": json.loads((SDKS / "node" / "package.json").read_text())["devDependencies"][
            "typescript"
        ],
    }
    return npm_project(project, {BROWSER_PACKAGE: f"file:{browser_tarball}"}, tools)


def bundle(project, organization, endpoint) -> str:
    """app.ts = the onboarding page's snippet + the app; tsc --noEmit, then esbuild."""
    snippet = browser_snippet(organization, endpoint)
    (project / "app.ts").write_text(snippet + "\n" + (APP / "app.ts").read_text())
    run(
        [
            "node_modules/.bin/tsc",
            "--noEmit",
            "--strict",
            "--target",
            "es2020",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "--lib",
            "dom,es2020",
            "app.ts",
        ],
        cwd=project,
    )
    run(
        [
            "node_modules/.bin/esbuild",
            "app.ts",
            "--bundle",
            "--format=esm",
            "--target=es2019",
            "--outfile=dist/app.js",
            "--log-level=warning",
        ],
        cwd=project,
    )
    return (project / "dist" / "app.js").read_text()


def test_the_tarball_holds_the_module_its_types_the_readme_and_the_changelog(browser_tarball):
    names = {n.removeprefix("package/") for n in tarball_names(browser_tarball)}
    manifest = tarball_manifest(browser_tarball)

    # Chunks of the module, named by content hash: network details and canvas recording (lazy)
    # and what the module shares with them.
    chunks = {n for n in names if re.fullmatch(r"dist/[a-z]+-[A-Z0-9]{8}\.js", n)}
    assert names - chunks == {
        "package.json",
        "dist/index.js",
        "index.d.ts",
        "README.md",
        "CHANGELOG.md",
    }
    assert sorted(n.split("-")[0] for n in chunks) == ["dist/canvas", "dist/chunk", "dist/details"]
    assert (manifest["name"], manifest["version"]) == ("@qorrelate/browser", "0.1.0")
    assert "dependencies" not in manifest  # rrweb is bundled, cut the same way as replay.js
    assert browser_tarball.stat().st_size < 40_000


def test_the_module_exports_what_its_types_declare_and_does_nothing_on_a_server(browser_tarball):
    script = (
        "const q = await import(process.argv[1]);"
        "console.log(JSON.stringify({names: Object.keys(q).sort(), init: q.init({orgId: 'o'}),"
        " id: q.getSessionId(), url: q.getSessionURL(), start: q.start()}))"
    )
    out = run(["node", "--input-type=module", "-e", script, SDKS / "browser" / "dist" / "index.js"])

    assert json.loads(out.stdout) == {
        "names": _declared_exports(),
        "init": None,
        "id": None,
        "url": None,
        "start": False,
    }
    assert {"init", "identify", "getSessionId", "getSessionURL", "flush", "stop"} <= set(
        _declared_exports()
    )


@pytest.fixture
def shop():
    site = Site(lambda: (ROOT / "static" / "dist" / "replay.js").read_bytes())
    yield site
    site.close()


def _record(page, url, shop, *, user_id=None):
    page.goto(url)
    session_id = check_out(page, user_id=user_id)  # the tag page identifies; app.ts does itself
    call = shop.calls_to("/api/orders")[-1]
    assert call.headers["x-session-id"] == session_id  # the app's own API call is tagged
    assert f"session.id={session_id}" in call.headers["baggage"]
    return session_id


def _stored(api, page, session_id):
    def ended():
        detail = api.get(f"/api/v1/sessions/{session_id}")
        return detail.status_code == 200 and detail.json()["ended_at"] and detail.json()

    detail = wait_until(page, ended, timeout=30, message=f"session {session_id} ended in the API")
    body = b"".join(api.get(f"/api/v1/sessions/{session_id}/events").streaming_content)
    return detail, body


# What the scenario makes happen every time (long tasks and vitals depend on the machine).
SCENARIO_TAGS = {
    "qorrelate.console",
    "qorrelate.identify",
    "qorrelate.navigation",
    "qorrelate.network",
}


def _shape(detail, body):
    events = orjson.loads(body)
    return {
        "sdk": detail["sdk"],
        "privacy_mode": detail["privacy_mode"],
        "user_traits": detail["user_traits"],
        "clicks": detail["counts"]["clicks"] >= 1,
        "console_errors": detail["counts"]["console_errors"],
        "urls": [u.rsplit("/", 1)[-1] for u in detail["urls"]],
        # rrweb's DomContentLoaded / Load markers (0, 1) exist only when recording starts while
        # the page is still loading (a tag in <head>); an app's module runs after parsing.
        "event_types": sorted({e["type"] for e in events} - {0, 1}),
        "custom_tags": sorted({e["data"]["tag"] for e in events if e["type"] == 5} & SCENARIO_TAGS),
        "secrets_stored": SECRET_EMAIL.encode() in body or SECRET_PASSWORD.encode() in body,
        "page_text_stored": b"Order 200" in body,
    }


@pytest.mark.browser
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_an_app_bundled_with_esbuild_records_like_the_script_tag(
    spa_project, live_qorrelate, shop, page, org_a
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    from apps.orgs.services import key_create

    # The tag page: replay.js from the same build, as Qorrelate serves it.
    run(["node", "static/build.mjs"])
    tag = recorder_tag(
        shop.url("/static/replay.js"),
        org_id=org_a.public_id,
        endpoint=live_qorrelate.url,
        privacy_mode=org_a.privacy_mode,
    )
    tag_url = shop.add_page("/tag/checkout", page_html(PAGE, script=tag))
    app = bundle(spa_project, org_a, live_qorrelate.url)
    npm_url = shop.add_page(
        "/npm/checkout", page_html(FORM + f"<script type=module>{app}</script>")
    )

    npm_session = _record(page, npm_url, shop)
    app_state = page.evaluate("({...shop, stop: typeof shop.stop})")
    # Another visitor (another browser profile): the tabs of one profile share a session.
    tag_page = page.context.browser.new_context().new_page()
    tag_session = _record(tag_page, tag_url, shop, user_id="user-tag-42")
    assert npm_session != tag_session
    assert errors == []

    assert app_state["exports"] == _declared_exports()
    assert app_state["sessionId"] == npm_session
    url = app_state["sessionURL"]
    assert url.startswith(f"{live_qorrelate.url}/r/{org_a.public_id}/{npm_session}")
    assert app_state["started"] is True and app_state["initTwiceIsOnce"] is True
    assert app_state["stop"] == "function"

    _key, raw = key_create(organization=org_a, kind="api", name="sdk", created_by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    npm_detail, npm_body_stored = _stored(api, page, npm_session)
    tag_detail, tag_body_stored = _stored(api, tag_page, tag_session)

    assert npm_detail["user_id"] == "user-npm-42" and tag_detail["user_id"] == "user-tag-42"
    npm_shape = _shape(npm_detail, npm_body_stored)
    assert npm_shape == _shape(tag_detail, tag_body_stored)
    assert npm_shape["sdk"] == "qorrelate-js/0.1.0"
    assert npm_shape["secrets_stored"] is False and npm_shape["page_text_stored"] is True
    assert npm_shape["custom_tags"] == sorted(SCENARIO_TAGS)
    assert npm_shape["event_types"] == [2, 3, 4, 5]  # snapshot, DOM changes, meta, custom
