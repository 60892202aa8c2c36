"""A replay cannot reach the network on the viewer's behalf. A forged recording, sent through
the public intake with nothing but the public org id, names outside and dashboard URLs in every
way rrweb rebuilds; opening it in the dashboard makes zero requests for any of them, while what
rrweb inlined (stylesheets, data: images, a same-origin iframe's document) still renders.

Two layers, each shown on its own: the player takes the URLs out before rrweb rebuilds
(static/src/player/neutralise.js), and the session page's Content-Security-Policy, inherited by
the replay frame, refuses what reaches the frame anyway."""

import gzip
import json
import time
import urllib.request
import uuid

import pytest

from apps.replay.models import Session
from tests.dashboard import forged
from tests.dashboard.browser import dashboard_tab, open_session, stored_session, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
FRAME = "document.querySelector('#player-stage iframe')"


@pytest.fixture
def outside():
    server = forged.OutsideServer()
    yield server
    server.close()


def _post_to_public_intake(base_url: str, org_public_id: str, body: dict) -> None:
    """What anyone on the internet can do: the org id is public (it is in the script tag)."""
    request = urllib.request.Request(
        f"{base_url}/ingest/v1/replay?org={org_public_id}",
        data=gzip.compress(json.dumps(body).encode()),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 200


@pytest.fixture
def forged_session(live_server, org_a, outside, built_assets) -> Session:
    session_id = str(uuid.uuid4())
    events = forged.forged_events(
        outside=outside.url,
        dashboard=live_server.url,
        org_slug=org_a.slug,
        start_ms=int(time.time() * 1000) - 60_000,
    )
    body = forged.envelope(org_public_id=org_a.public_id, session_id=session_id, events=events)
    _post_to_public_intake(live_server.url, org_a.public_id, body)
    return stored_session(org_a, session_id)


def _watch_requests(page, live_server_url: str, event: str = "request") -> list[str]:
    """Every request the tab makes (``request``: starts, even one the browser then refuses;
    ``requestfinished``: gets an answer) for a forged URL or to another origin."""
    seen: list[str] = []

    def note(request):
        url = request.url
        if forged.FORGED in url or not (
            url.startswith(live_server_url) or url.startswith(("data:", "blob:", "about:"))
        ):
            seen.append(url)

    page.on(event, note)
    return seen


def _open_replay(page, live_server_url, organization, session):
    page.goto(f"{live_server_url}/o/{organization.slug}/sessions/{session.session_id}/?t=2000")
    page.wait_for_selector("#replay[data-loaded='true']")
    page.wait_for_function("() => document.getElementById('replay').dataset.state === 'paused'")
    page.wait_for_function(
        f"() => {FRAME}.contentDocument.querySelector('#legit-frame')?.contentDocument"
        f"?.body?.innerText.includes('{forged.INNER_FRAME_TEXT}')"
    )


def _lay_out(page) -> None:
    """Makes the frames compute every element's style and layout: the replay frame is still an
    open (loading) document, and Chromium fetches what CSS names (backgrounds, fonts) and starts
    frames, plugins and media only once it lays them out."""
    page.evaluate(
        f"""() => {{
            const frame = {FRAME}.contentDocument;
            const inner = frame.querySelector('#legit-frame');
            for (const doc of [frame, inner && inner.contentDocument]) {{
                if (!doc) continue;
                for (const el of doc.querySelectorAll('*')) getComputedStyle(el).backgroundImage;
                doc.body && doc.body.getBoundingClientRect();
            }}
        }}"""
    )


def _style(page, selector: str, prop: str, frame: str = FRAME) -> str:
    return page.evaluate(
        f"() => getComputedStyle({frame}.contentDocument.querySelector('{selector}'))"
        f".getPropertyValue('{prop}')"
    )


def test_a_forged_recording_makes_no_request_when_opened_and_its_inlined_content_renders(
    browser, live_server, org_a, alice, forged_session, outside, artifacts_dir
):
    page = dashboard_tab(browser, live_server.url, alice)
    requests = _watch_requests(page, live_server.url)
    _open_replay(page, live_server.url, org_a, forged_session)
    # Nothing the replay could still be waiting for: every image in the frames has settled.
    page.wait_for_function(
        f"() => [...{FRAME}.contentDocument.images].every(i => i.complete)"
        f" && [...{FRAME}.contentDocument.querySelector('#legit-frame').contentDocument.images]"
        ".every(i => i.complete)"
    )
    _lay_out(page)
    # Requests are reported asynchronously: one made after the layout, and seen, means any the
    # layout started have been reported too.
    with page.expect_request("**/static/css/app.css?after-layout"):
        page.evaluate(
            f"() => {{ {FRAME}.contentDocument.createElement('img').src ="
            " '/static/css/app.css?after-layout'; }"
        )
    page.screenshot(path=str(artifacts_dir / "replay-forged-recording.png"))

    assert requests == []
    assert outside.hits == []
    # What rrweb inlined at recording time still renders.
    assert _style(page, "h1.legit", "color") == forged.LEGIT_CSS_COLOR
    assert _style(page, "h1.legit", "padding-top") == forged.LEGIT_STYLE_PADDING
    assert _style(page, "#attr", "color") == forged.LEGIT_ATTRIBUTE_COLOR
    assert (
        page.evaluate(f"() => {FRAME}.contentDocument.getElementById('inline-image').naturalWidth")
        == 2
    )
    # Images that were not inlined show as the placeholder, which itself renders.
    placeholders = page.evaluate(
        f"() => [...{FRAME}.contentDocument.images].filter(i => i.src.startsWith('data:image/svg'))"
        ".map(i => i.naturalWidth)"
    )
    assert len(placeholders) >= 4 and all(width > 0 for width in placeholders), placeholders
    inner = f"{FRAME}.contentDocument.querySelector('#legit-frame')"
    assert _style(page, "p.inner", "color", frame=inner) == "rgb(7, 8, 9)"
    # No URL of the recording is left in the rebuilt page, links' href aside (a link loads
    # nothing unless clicked, and the replay frame takes no clicks).
    leftover = page.evaluate(
        f"""marker => {{
            const found = [];
            for (const doc of [{FRAME}.contentDocument, {inner}.contentDocument]) {{
                for (const el of doc.querySelectorAll('*')) {{
                    for (const a of el.attributes) {{
                        const link = a.name === 'href' && ['A', 'AREA'].includes(el.tagName);
                        const hit = a.value.includes(marker) && !link;
                        if (hit) found.push(`${{el.tagName}} ${{a.name}}`);
                    }}
                }}
                for (const s of doc.querySelectorAll('style')) {{
                    if (s.textContent.includes(marker)) found.push('style text');
                }}
            }}
            return found;
        }}""",
        forged.FORGED,
    )
    assert leftover == []
    assert page.js_errors == []


def test_the_session_pages_policy_refuses_what_reaches_the_replay_frame_anyway(
    browser, live_server, org_a, alice, forged_session, outside
):
    """The second layer alone: markup put straight into the replay frame (as if the player had
    missed it) loads nothing from outside or from the dashboard; the CSP refuses each."""
    page = dashboard_tab(browser, live_server.url, alice)
    # Chromium announces a few requests the policy then refuses; none may get an answer.
    answered = _watch_requests(page, live_server.url, "requestfinished")
    _open_replay(page, live_server.url, org_a, forged_session)
    dashboard = f"{live_server.url}/o/{org_a.slug}/settings/?{forged.FORGED}"
    markup = (
        f'<img src="{outside.url}/{forged.FORGED}/raw-img.png">'
        f'<img src="{dashboard}=raw-img">'
        f'<link rel="stylesheet" href="{outside.url}/{forged.FORGED}/raw.css">'
        f'<style>@import url("{dashboard}=raw-import");'
        f" .raw {{ background: url({outside.url}/{forged.FORGED}/raw-bg.png) }}"
        f" @font-face {{ font-family: Raw; src: url({outside.url}/{forged.FORGED}/raw.woff2) }}"
        f" .raw {{ font-family: Raw }}</style>"
        f'<div class="raw">raw</div>'
        f'<iframe src="{dashboard}=raw-frame"></iframe>'
        f'<object data="{outside.url}/{forged.FORGED}/raw-object"></object>'
        f'<video src="{outside.url}/{forged.FORGED}/raw.mp4"></video>'
    )
    page.evaluate(
        f"markup => {FRAME}.contentDocument.body.insertAdjacentHTML('afterbegin', markup)", markup
    )
    resources = ["raw-img.png", "=raw-img", "raw.css", "raw-import", "raw-bg.png", "raw.woff2"]
    resources += ["raw-frame", "raw-object", "raw.mp4"]

    def refused_all():
        _lay_out(page)  # plugins and media start on a later layout pass than images
        refused = "\n".join(browser.csp_violations)
        return all(f"{name}'" in refused for name in resources)

    wait_for(refused_all, timeout=60, message=f"a CSP refusal for each of {resources}")
    assert answered == []
    assert outside.hits == []
    refused = "\n".join(browser.csp_violations)
    for directive in ("img-src", "style-src", "font-src", "frame-src", "object-src", "default-src"):
        assert f'directive: "{directive} ' in refused, directive
    browser.csp_violations.clear()  # provoked on purpose


def test_the_network_tab_shows_a_requests_recorded_headers_and_body_beside_its_backend_trace(
    browser, live_server, org_a, alice, built_assets
):
    from tests.replay import rrweb
    from tests.tickets.factories import make_span

    session_id = str(uuid.uuid4())
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    start = int(time.time() * 1000) - 60_000
    entry = rrweb.network(start + 500, url="https://shop.test/api/pay", trace_id=trace_id)
    entry["data"]["payload"]["request"] = {
        "headers": {"authorization": "[redacted]", "content-type": "application/json"},
        "body": {"body": '{"user":"ann","password":"[redacted]"}', "size": 38, "truncated": False},
    }
    entry["data"]["payload"]["response"] = {
        "headers": {"content-type": "application/json"},
        "body": {
            "body": '{"rows":"<b>yyyy' + "…[truncated by Qorrelate]",
            "size": 200_013,
            "truncated": True,
        },
    }
    events = [*rrweb.page_load(start), entry, rrweb.mouse_move(start + 2000)]
    body = forged.envelope(org_public_id=org_a.public_id, session_id=session_id, events=events)
    _post_to_public_intake(live_server.url, org_a.public_id, body)
    session = stored_session(org_a, session_id)
    make_span(org_a, trace_id, name="POST /api/pay", session_id=session_id)

    page = dashboard_tab(browser, live_server.url, alice)
    open_session(page, live_server.url, org_a, session.session_id)
    page.click("[data-tab=network]")
    request = page.locator("[data-pane=network] .entry").first
    assert request.locator(".trace-link").inner_text().split("\n")[:2] == [
        "↳ backend",
        "POST /api/pay",
    ]
    request.locator(".net-details summary").click()
    sent = request.locator("[data-side=request]")
    assert "authorization: [redacted]" in sent.locator(".net-headers").inner_text()
    assert sent.locator(".net-body").inner_text() == '{"user":"ann","password":"[redacted]"}'
    received = request.locator("[data-side=response]")
    assert "truncated, 195.3 KB in all" in received.locator("h4").inner_text()
    # Text, never markup: the recorded <b> is shown as typed.
    assert received.locator(".net-body").inner_text().startswith('{"rows":"<b>yyyy')
    assert received.locator(".net-body b").count() == 0
    assert page.js_errors == []
