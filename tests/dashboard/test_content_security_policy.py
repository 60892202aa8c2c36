"""The Content-Security-Policy: on every page, scripts only from /static/ (no inline script
or handler anywhere), images, fonts and styles only from /static/ and data:, no frames, plugins
or media; the session page alone allows inline <style> (for the replay frame)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(directives: dict, static: str) -> None:
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == [static]
    assert directives["img-src"] == [static, "data:"]
    assert directives["font-src"] == [static, "data:"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-src"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "path",
    [
        "/o/{slug}/",
        "/o/{slug}/sessions/",
        "/o/{slug}/traces/",
        "/o/{slug}/settings/",
        "/o/{slug}/retention/",
        "/o/{slug}/billing/",
        "/accounts/login/",
        "/signup/",
    ],
)
def test_every_page_sends_a_policy_that_loads_only_this_installs_static_files(
    owner_client, org_a, path
):
    response = owner_client.get(path.format(slug=org_a.slug), HTTP_HOST="q.example.test:8443")
    assert response.status_code == 200
    directives = policy(response)
    _assert_strict(directives, "http://q.example.test:8443/static/")
    assert directives["style-src"] == ["http://q.example.test:8443/static/"]
    assert directives["style-src-attr"] == ["'unsafe-inline'"]


def test_the_session_page_adds_inline_styles_for_the_replay_frame_and_nothing_else(
    owner_client, org_a, record_session
):
    session = record_session(org_a)
    response = owner_client.get(f"/o/{org_a.slug}/sessions/{session.session_id}/")
    assert response.status_code == 200
    directives = policy(response)
    _assert_strict(directives, "http://testserver/static/")
    assert directives["style-src"] == ["http://testserver/static/", "'unsafe-inline'"]


def test_the_public_url_and_an_absolute_static_url_are_sources_too(owner_client, org_a, settings):
    settings.PUBLIC_URL = "https://qorrelate.example.com"
    response = owner_client.get(f"/o/{org_a.slug}/")
    assert policy(response)["script-src"] == [
        "http://testserver/static/",
        "https://qorrelate.example.com/static/",
    ]
    settings.STATIC_URL = "https://cdn.example.net/q/"
    response = owner_client.get(f"/o/{org_a.slug}/")
    assert policy(response)["script-src"] == ["https://cdn.example.net/q/"]


def test_api_replies_carry_the_policy_too(owner_client, org_a):
    response = owner_client.get("/api/v1/sessions", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug)
    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


def test_no_template_has_an_inline_script_an_event_handler_or_a_style_block():
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for kind, pattern in (
            ("script", INLINE_SCRIPT),
            ("handler", HANDLER),
            ("style", STYLE_BLOCK),
        ):
            for match in pattern.finditer(text):
                offenders.append(
                    f"{template.relative_to(TEMPLATES)}: {kind}: {match.group(0)[:60]}"
                )
    assert offenders == [], "move them to static/src/pages or static/public/css"
