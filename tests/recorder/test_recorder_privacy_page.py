"""The privacy test page (pages/privacy.html), in each privacy mode: typed values, pre-filled
fields, attributes, URLs, shadow DOM (a web component's password field), same-origin iframes and
a cross-origin one recording into the page's session, canvases (canvas recording on), changed by
a script after the first snapshot. Every uploaded byte is searched for the page's tokens; the
prefix of a token says in which modes it may never appear (see the page's header). Canvas pixels
are not text: no picture of a canvas leaves in mask-all, nor of a private canvas in any mode."""

import re
from pathlib import Path

import pytest

from .conftest import ORG_ID
from .hard_dom import localhost
from .sites import recorder_tag, wait_until

PAGE = (Path(__file__).parent / "pages" / "privacy.html").read_text()
CHILD = (Path(__file__).parent / "pages" / "privacy_child.html").read_text()
NEVER = re.compile(r"nvr\d\dq")
INPUT = re.compile(r"inp\d\dq")
TEXT = re.compile(r"txt\d\dq")

TYPED = {
    "#password": "nvr26q",
    "#email": "nvr27q@example.com",
    "#tel": "nvr28q",
    "#card": "nvr29q",
    "#otp": "nvr30q",
    "#api-token": "nvr31q",
    "#private-input": "nvr32q",
    "#name": "inp02q",
    "#notes": " inp03q",
    "#editor": " inp04q",
    "#shadow-password": "nvr62q",  # Playwright's CSS selectors pierce open shadow roots
    "#shadow-name": "inp05q",
}
TYPED_IN_CHILD = {"#child-password": "nvr63q", "#child-name": "inp06q"}

CHANGES = """() => {
    document.querySelector('#csrf').value = 'nvr34q';
    document.querySelector('#csrf').setAttribute('value', 'nvr35q');
    document.querySelector('#hidden-attr').value = 'nvr36q';
    const priv = document.querySelector('#private');
    priv.setAttribute('title', 'nvr37q');
    priv.insertAdjacentHTML('beforeend', '<span title="nvr38q" data-x="nvr39q">nvr40q</span>');
    const attrs = document.querySelector('#attributes');
    attrs.setAttribute('data-session-token', 'nvr41q');
    attrs.setAttribute('title', 'txt11q');
    document.querySelector('#later').innerHTML =
        '<a href="/p?password=nvr42q&page=txt12q">x</a><img alt="txt13q">';
    const root = document.querySelector('#private-host').attachShadow({mode: 'open'});
    root.innerHTML = '<p title="nvr43q">nvr44q</p><input id="shadow-input">';
    document.querySelector('#blocked').append('nvr52q');
    history.pushState({}, '', '/privacy.html?email=nvr47q');
    document.title = 'Privacy txt15q';
    return fetch('/api/echo?password=nvr48q&page=txt14q').then((r) => r.json());
}"""


def record_privacy_page(site, child_site, page, mode):
    child_origin = localhost(child_site)
    tag = recorder_tag(
        site.url("/static/replay.js"),
        org_id=ORG_ID,
        privacy_mode=mode,
        flush_interval=200,
        record_canvas="true",
        cross_origin_iframes=child_origin,
    )
    child_tag = recorder_tag(
        child_origin + "/static/replay.js",
        org_id=ORG_ID,
        privacy_mode=mode,
        parent_origin=site.origin,
    )
    child_site.add_page("/child.html", CHILD.replace("<!--recorder-->", child_tag))
    html = PAGE.replace("<!--recorder-->", tag).replace("{{CHILD}}", child_origin + "/child.html")
    url = site.add_page("/privacy.html", html)
    page.goto(url + "?token=nvr49q&page=txt16q#access_token=nvr50q")
    wait_until(
        page,
        lambda: page.evaluate("document.querySelector('#doc').contentDocument.body.innerText"),
        message="the srcdoc iframe",
    )
    for selector, value in TYPED.items():
        page.type(selector, value)
    page.click("#show-password")  # a "show password" button: the field becomes type=text
    page.evaluate("document.querySelector('#password').type = 'text'")
    page.type("#password", "nvr33q")
    page.evaluate(CHANGES)
    page.type("#shadow-input", "nvr45q")  # Playwright's CSS selectors pierce open shadow roots
    page.evaluate(
        "document.querySelector('#private-host').shadowRoot.querySelector('p').firstChild.data"
        " = 'nvr46q'"
    )
    child = next(f for f in page.frames if f.url.endswith("/child.html"))
    child.wait_for_function("() => window.qorrelate && window.qorrelate.version")
    for selector, value in TYPED_IN_CHILD.items():
        child.type(selector, value)
    # The frame's events reach the page in order: once its marker is in, its typing is too.
    child.evaluate("qorrelate.event('child done', {})")
    wait_until(
        page,
        lambda: any(p.get("name") == "child done" for p in site.intake.custom("qorrelate.event")),
        message="the frame's marker event",
    )
    if mode != "mask-all":
        wait_until(
            page,
            lambda: canvas_pictures(site.intake.events(), "public-canvas"),
            message="a picture of the public canvas",
        )
    page.click("#public")
    # Events travel in order: once this marker is in, everything before it is too.
    page.evaluate("qorrelate.event('done', {}); qorrelate.flush()")
    wait_until(
        page,
        lambda: any(p.get("name") == "done" for p in site.intake.custom("qorrelate.event")),
        message="the marker event",
    )
    return site.intake.raw_text()


def canvas_pictures(events, element_id):
    """The pictures sent of the canvas whose id attribute is ``element_id``."""
    ids = set()

    def walk(node):
        if node.get("attributes", {}).get("id") == element_id:
            ids.add(node["id"])
        for child in node.get("childNodes", []):
            walk(child)

    for e in events:
        if e["type"] == 2:
            walk(e["data"]["node"])
        elif e["type"] == 3 and e["data"].get("source") == 0:
            for add in e["data"]["adds"]:
                walk(add["node"])
    return [
        e
        for e in events
        if e["type"] == 3 and e["data"].get("source") == 9 and e["data"]["id"] in ids
    ]


def tokens(pattern, text):
    return sorted(set(pattern.findall(text)))


@pytest.fixture(scope="module", params=["mask-inputs", "mask-all", "mask-sensitive"])
def recorded(request, replay_js, browser):
    """The privacy page recorded once per mode: (mode, everything uploaded, the page's DOM)."""
    from .sites import Site

    site, child_site = Site(lambda: replay_js), Site(lambda: replay_js)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        sent = record_privacy_page(site, child_site, page, request.param)
        dom = page.evaluate(
            """() => document.documentElement.outerHTML
                + document.querySelector('#private-host').shadowRoot.innerHTML
                + document.querySelector('#component').shadowRoot.innerHTML
                + document.querySelector('#private-frame').contentDocument.body.outerHTML
                + document.querySelector('#masked-frame').contentDocument.body.outerHTML"""
        )
        child = next(f for f in page.frames if f.url.endswith("/child.html"))
        dom += child.evaluate("() => document.documentElement.outerHTML")
        yield request.param, sent, dom, site.intake.events(), child_site.intake.uploads
    finally:
        context.close()
        site.close()
        child_site.close()


def test_the_page_holds_every_kind_of_token_so_there_is_something_to_leak(recorded):
    _mode, sent, dom, *_ = recorded
    # The DOM (and what was typed into it) has the tokens the recording must not.
    assert len(tokens(NEVER, dom)) >= 25
    assert tokens(INPUT, dom) and tokens(TEXT, dom)
    assert '"type":2' in sent  # a full snapshot was uploaded


def test_no_never_token_is_in_any_uploaded_byte_in_any_mode(recorded):
    mode, sent, _dom, *_ = recorded
    assert tokens(NEVER, sent) == [], f"leaked in {mode}"


def test_field_values_leave_the_browser_only_in_mask_sensitive(recorded):
    mode, sent, _dom, *_ = recorded
    if mode == "mask-sensitive":
        # Typed into the page, into the web component's shadow root and into the frame.
        assert {"inp01q", "inp02q", "inp03q", "inp05q", "inp06q"} <= set(tokens(INPUT, sent))
    else:
        assert tokens(INPUT, sent) == [], f"leaked in {mode}"


def test_page_text_and_the_attributes_repeating_it_are_masked_in_mask_all_only(recorded):
    mode, sent, _dom, *_ = recorded
    if mode == "mask-all":
        assert tokens(TEXT, sent) == []
    else:
        # Text, titles, alt texts, aria labels, data-* and ordinary link parameters are kept.
        kept = set(tokens(TEXT, sent))
        assert {"txt03q", "txt02q", "txt05q", "txt06q", "txt07q", "txt09q", "txt13q"} <= kept


def test_masks_have_a_fixed_length_whatever_was_typed(recorded):
    mode, sent, _dom, *_ = recorded
    # rrweb's default mask repeats '*' once per character: 6 for 'nvr26q', 18 for the e-mail.
    inputs = [
        e["data"]["text"]
        for batch in _batches(sent)
        for e in batch["events"]
        if e["type"] == 3 and e["data"].get("source") == 5 and "*" in e["data"].get("text", "")
    ]
    assert inputs, "no masked input event"
    assert set(inputs) == {"********"}


def _batches(sent):
    import json

    return [json.loads(line) for line in sent.split("\n") if line.startswith("{")]


def test_no_picture_of_a_canvas_leaves_in_mask_all_nor_of_a_private_canvas_in_any_mode(recorded):
    mode, sent, _dom, events, _child_uploads = recorded
    assert canvas_pictures(events, "private-canvas") == []
    if mode == "mask-all":
        assert [e for e in events if e["type"] == 3 and e["data"].get("source") == 9] == []
        assert "data:image" not in sent
    else:
        # Canvas recording was on and working: the public canvas was sent.
        assert canvas_pictures(events, "public-canvas")


def test_the_cross_origin_frame_records_into_the_page_session_and_uploads_nothing_itself(
    recorded,
):
    _mode, sent, _dom, _events, child_uploads = recorded
    assert child_uploads == []
    assert "child done" in sent  # the frame's own timeline event, through the page
