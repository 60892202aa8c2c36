"""Fixtures for the recorder's browser tests.

They need no database: pages, an echo API and a capturing intake are served by local threads
(``sites.py``), and Chromium comes from ``tests/support/browser.py``. A test through the real
Django intake can reuse ``recorder_page`` with ``endpoint=<live server URL>``: the page and the
script still come from the local site, the batches go to Django.
"""

import subprocess
from pathlib import Path

import pytest

# Chromium fixtures come from tests/support/browser.py (the root conftest registers it); imported
# here too so `pytest tests/recorder -p no:django --confcutdir=tests/recorder` runs without Django.
from tests.support import browser as chromium

from .sites import Site, page_html, recorder_tag

browser = chromium.browser
page = chromium.page

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "static" / "dist" / "replay.js"
ORG_ID = "org_test_recorder"


@pytest.fixture(scope="session")
def replay_js() -> bytes:
    """Builds replay.js once per test run, from the sources in this checkout."""
    if not (ROOT / "node_modules").exists():
        pytest.fail("node_modules is missing: run `npm ci` (or `make js`).")
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    return BUNDLE.read_bytes()


@pytest.fixture
def site(replay_js):
    """The customer's site: pages, its own API under /api/, and (by default) the intake."""
    server = Site(lambda: replay_js)
    yield server
    server.close()


@pytest.fixture
def third_party(replay_js):
    """Another origin (another port): an API the recorder must leave untouched."""
    server = Site(lambda: replay_js)
    yield server
    server.close()


@pytest.fixture
def console(page):
    """Console messages of the page, as (type, text) pairs."""
    messages = []
    page.on("console", lambda msg: messages.append((msg.type, msg.text)))
    return messages


@pytest.fixture
def recorder_page(site, page):
    """``recorder_page(body, **attrs)`` serves a page with the recorder tag and opens it.

    Attributes are the script's data-* attributes (``org_id``, ``privacy_mode``, ``endpoint``,
    ``flush_interval``...); ``org_id`` defaults to a test org and ``flush_interval`` to 200 ms so
    tests need not wait 5 s. Pass ``path`` to serve several pages.
    """

    def open_page(body="", *, path="/page.html", head="", goto=True, **attrs):
        attrs.setdefault("org_id", ORG_ID)
        attrs.setdefault("flush_interval", 200)
        tag = recorder_tag(site.url("/static/replay.js"), **attrs)
        url = site.add_page(path, page_html(body, head=head, script=tag))
        if goto:
            page.goto(url)
        return url

    return open_page
