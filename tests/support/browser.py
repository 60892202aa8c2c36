"""Headless Chromium from Debian's packages, driven by Playwright for Python."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CSP_REFUSAL = "Content Security Policy"
# Playwright's waits are for conditions (a selector, a function turning true); what a loaded
# machine changes is only how long they take, so they get a minute rather than 30 s.
WAIT_MS = 60_000


def _watch_csp(instance) -> None:
    """Every page of every context opened on ``instance`` reports what the page's
    Content-Security-Policy refused (Chromium logs "Refused to … because it violates the
    following Content Security Policy directive") into ``instance.csp_violations``."""
    instance.csp_violations = []

    def note(message):
        if CSP_REFUSAL in message.text:
            instance.csp_violations.append(f"{message.location.get('url', '')}: {message.text}")

    new_context, new_page = instance.new_context, instance.new_page

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.set_default_timeout(WAIT_MS)
        context.on("console", note)
        return context

    def watched_page(*args, **kwargs):
        page = new_page(*args, **kwargs)
        page.set_default_timeout(WAIT_MS)
        page.on("console", note)
        return page

    instance.new_context, instance.new_page = watched_context, watched_page


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API runs an event loop in this thread
    while it is open, so it is closed after each module: tests elsewhere that call
    ``asyncio.run`` (the ASGI helper's) must not find a loop already running."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _watch_csp(instance)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _no_page_breaks_its_content_security_policy(request):
    """Any browser test fails if a page it opened had something refused by its CSP: a page's
    own inline script, handler or style block (templates must have none), or a resource the
    policy does not allow. A test that provokes refusals on purpose reads and clears
    ``browser.csp_violations`` itself."""
    if "browser" not in request.fixturenames:
        yield
        return
    instance = request.getfixturevalue("browser")
    instance.csp_violations.clear()
    yield
    assert instance.csp_violations == [], "pages broke their Content-Security-Policy"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
