"""Helpers for the dashboard's browser tests: the demo shop recording into the live server, a
signed-in dashboard tab, and waiting for what the intake and the OTLP receiver stored."""

import re
import time

from django.test import Client

from apps.replay.models import Session
from apps.traces.models import Span

REPLAY_TEXT = "() => document.querySelector('#player-stage iframe').contentDocument.body.innerText"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def wait_for(predicate, *, timeout: float = 60.0, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def stored_session(organization, session_id: str, *, until_ms: int | None = None) -> Session:
    """The session once the intake has stored it (and, with ``until_ms``, events up to then)."""

    def ready():
        session = Session.objects.filter(organization=organization, session_id=session_id).first()
        if session and (until_ms is None or session.end_ms >= until_ms):
            return session
        return None

    return wait_for(ready, message=f"session {session_id} in the index")


def stored_spans(organization, session_id: str, count: int) -> list[Span]:
    return wait_for(
        lambda: (
            spans
            if len(
                spans := list(Span.objects.filter(organization=organization, session_id=session_id))
            )
            >= count
            else None
        ),
        message=f"{count} spans of session {session_id}",
    )


def dashboard_tab(browser, base_url: str, user, *, width: int = 1440, height: int = 900):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


def open_session(page, base_url: str, organization, session_id: str, query: str = ""):
    page.goto(f"{base_url}/o/{organization.slug}/sessions/{session_id}/{query}")
    page.wait_for_selector("#replay[data-loaded='true']")
    page.wait_for_function("() => document.querySelector('#player-stage iframe')")


def current_ms(page) -> float:
    return float(page.evaluate("() => document.getElementById('replay').dataset.currentMs"))


def pause(page) -> None:
    if page.evaluate("() => document.getElementById('replay').dataset.state") == "playing":
        page.click("#ctl-play")
    page.wait_for_function("() => document.getElementById('replay').dataset.state !== 'playing'")


def recording_shop(built_assets, live_server, organization, **attributes):
    """A shop site serving the built replay.js, and the recorder tag its pages carry: it
    records into ``organization`` at the live intake, flushing every 200 ms, with the tag's
    other ``attributes`` (recorder_tag's keywords). The caller closes the site."""
    from tests.recorder.sites import Site, recorder_tag

    replay_js = (built_assets / "replay.js").read_bytes()
    shop = Site(lambda: replay_js)
    tag = recorder_tag(
        shop.url("/static/replay.js"),
        org_id=organization.public_id,
        endpoint=live_server.url,
        flush_interval=200,
        **attributes,
    )
    return shop, tag
