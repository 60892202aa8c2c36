"""Fixtures for the dashboard: sessions recorded through the real intake, spans and logs through
the real OTLP receiver, and (for the browser tests) the demo shop recording into a live server.
"""

import subprocess
from pathlib import Path

import pytest
from django.test import Client

from apps.replay.models import Session
from tests.replay import rrweb
from tests.replay.fixtures import post_batch  # noqa: F401
from tests.traces import otlp

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def record_session(post_batch):  # noqa: F811
    """``record_session(org, events=None, user=None, ua=..., url=..., start=T0,
    viewport=(1280, 720))`` posts one session through ``POST /ingest/v1/replay`` and returns its
    index row."""

    def record(
        organization,
        *,
        events=None,
        user=None,
        ua=rrweb.CHROME_UA,
        url=None,
        start=None,
        viewport=(1280, 720),
    ):
        session_id = rrweb.new_session_id()
        ts = start if start is not None else rrweb.T0
        page = url or "https://shop.test/checkout"
        body = (
            events if events is not None else [rrweb.click(ts + 1000), rrweb.mouse_move(ts + 4000)]
        )
        batch = rrweb.envelope(
            session_id, 0, rrweb.page_load(ts, page, *viewport) + body, user=user, ua=ua, url=page
        )
        response = post_batch(organization, batch)
        assert response.status_code == 200, response.content
        return Session.objects.get(organization=organization, session_id=session_id)

    return record


@pytest.fixture
def send_telemetry(client, ingest_key):
    """``send_telemetry(org, spans=[...], logs=[...])`` exports through ``/v1/traces`` and
    ``/v1/logs`` with a fresh ingest key of that organization."""

    def send(organization, *, spans=(), logs=(), service="shop-api"):
        key = ingest_key(organization)
        headers = {"Authorization": f"Bearer {key}"}
        if spans:
            body = otlp.traces_request(list(spans), service=service).SerializeToString()
            response = client.post(
                "/v1/traces", data=body, content_type=otlp.PROTOBUF, headers=headers
            )
            assert response.status_code == 200, response.content
        if logs:
            body = otlp.logs_request(list(logs), service=service).SerializeToString()
            response = client.post(
                "/v1/logs", data=body, content_type=otlp.PROTOBUF, headers=headers
            )
            assert response.status_code == 200, response.content

    return send


@pytest.fixture(scope="session")
def built_assets():
    """replay.js and player.js built from this checkout, once per run."""
    if not (ROOT / "node_modules").exists():
        pytest.fail("node_modules is missing: run `npm ci` (or `make js`).")
    subprocess.run(["node", "static/build.mjs"], cwd=ROOT, check=True, capture_output=True)
    return ROOT / "static" / "dist"


def signed_in(context, base_url: str, user) -> None:
    """Give a Playwright browser context the session cookie of ``user``."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])


@pytest.fixture
def demo_shop(live_server, org_a, built_assets, ingest_key):
    """The demo shop recording into the live server as ``org_a``'s customer."""
    from demo.shop.app import serve

    shop = serve(
        qorrelate_url=live_server.url, org_id=org_a.public_id, ingest_key=ingest_key(org_a)
    )
    yield shop
    shop.close()
