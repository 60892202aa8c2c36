"""End to end: replay.js records a page in Chromium against the live server (gunicorn), and the
session is read back through the REST API: found by URL and by user id, its events in order,
and the values typed into inputs nowhere in what was stored."""

import subprocess
from pathlib import Path

import orjson
import pytest
from rest_framework.test import APIClient

from apps.orgs.services import key_create
from tests.recorder.sites import Site, page_html, recorder_tag, wait_until
from tests.replay.checkout_page import PAGE, SECRET_EMAIL, SECRET_PASSWORD, check_out

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def replay_js() -> bytes:
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    return (ROOT / "static" / "dist" / "replay.js").read_bytes()


@pytest.fixture
def shop(replay_js):
    site = Site(lambda: replay_js)
    yield site
    site.close()


def test_a_recorded_page_is_searchable_and_plays_back_through_the_api(
    live_qorrelate, shop, page, org_a
):
    org_a.allowed_origins = [shop.origin]
    org_a.save()
    tag = recorder_tag(
        live_qorrelate.url + "/static/replay.js", org_id=org_a.public_id, flush_interval=200
    )
    page.goto(shop.add_page("/checkout", page_html(PAGE, script=tag)))
    session_id = check_out(page, user_id="user-e2e-42")

    _key, raw = key_create(organization=org_a, kind="api", name="e2e", created_by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def ended():
        found = api.get("/api/v1/sessions", {"url": "/checkout/done"}).json()["results"]
        return found and found[0]["ended_at"] and found

    found = wait_until(page, ended, timeout=20, message="the ended session in the API")
    assert [row["session_id"] for row in found] == [session_id]
    by_user = api.get("/api/v1/sessions", {"user_id": "user-e2e-42"}).json()["results"]
    assert [row["session_id"] for row in by_user] == [session_id]

    detail = api.get(f"/api/v1/sessions/{session_id}").json()
    assert detail["entry_url"] == shop.url("/checkout")
    assert detail["browser"] in ("Chrome", "HeadlessChrome", "Chromium")
    assert detail["counts"]["clicks"] >= 1 and detail["counts"]["console_errors"] == 1
    assert detail["user_traits"] == {"plan": "pro"}

    response = api.get(f"/api/v1/sessions/{session_id}/events")
    body = b"".join(response.streaming_content)
    events = orjson.loads(body)
    # rrweb's own events are in time order; Qorrelate's custom timeline entries (type 5) are
    # emitted when they complete but stamped with their start (a request), so they may not be.
    stamps = [event["timestamp"] for event in events if event["type"] != 5]
    assert stamps == sorted(stamps)
    assert {2, 3, 4, 5} <= {event["type"] for event in events}  # snapshot, DOM, meta, custom
    tags = [e["data"]["tag"] for e in events if e["type"] == 5]
    assert "qorrelate.network" in tags and "qorrelate.navigation" in tags
    assert SECRET_EMAIL.encode() not in body and SECRET_PASSWORD.encode() not in body
    assert b"Order 200" in body  # page text is recorded, only inputs are masked
