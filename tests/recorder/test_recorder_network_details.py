"""Network details (data-network-details): headers and bodies of allowed requests, redacted.

Every secret below is a unique token; the tests search every byte the recorder uploaded for it.
"""

import json
from pathlib import Path

import jsonschema
import pytest

from .sites import wait_until

SECRETS = {
    "authorization": "AUTHZSECRET7731",
    "cookie": "COOKIESECRET7732",
    "set_cookie": "SETCOOKIESECRET7733",
    "api_key": "APIKEYSECRET7734",
    "password": "PASSWORDSECRET7735",
    "query_token": "QUERYTOKEN7736",
    "card": "4111 1111 1111 1111",
    "response_token": "RESPONSETOKEN7737",
    "tenant": "TENANTSECRET7738",  # a header of the site's own, listed in data-redact-headers
}
ALLOWED = "/api/details*,/api/big"
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "apps/replay/protocol/recorder.schema.json").read_text()
)
NETWORK_ENTRY = {**SCHEMA, "$ref": "#/$defs/networkEntry"}


def requests(site, page, count):
    page.evaluate("qorrelate.flush()")
    return wait_until(
        page,
        lambda: (
            len(site.intake.custom("qorrelate.network")) >= count
            and site.intake.custom("qorrelate.network")
        ),
        message=f"{count} network entries",
    )


@pytest.fixture
def details_site(site):
    site.api_replies["/api/details"] = (
        200,
        json.dumps(
            {"order": 17, "access_token": SECRETS["response_token"], "note": "thanks"}
        ).encode(),
        {"Set-Cookie": f"sid={SECRETS['set_cookie']}", "X-Request-Id": "req-1"},
    )
    site.api_replies["/api/details-xhr"] = (
        201,
        b'{"saved": true}',
        {"X-Request-Id": "req-2"},
    )
    site.api_replies["/api/big"] = (200, json.dumps({"rows": "y" * 200_000}).encode(), {})
    return site


def details_loaded(page):
    """replay.js has loaded replay-network.js (requests before that carry no details)."""
    page.wait_for_function("() => !(Symbol.for('qorrelate.networkDetails') in window)")


def send_requests(page):
    page.evaluate(
        """async (s) => {
            document.cookie = 'sid=' + s.cookie;
            await fetch('/api/details?token=' + s.query_token + '&page=2', {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    'Authorization': 'Bearer ' + s.authorization,
                    'X-Tenant': s.tenant,
                },
                body: JSON.stringify({user: 'ann', password: s.password, card: s.card, qty: 2}),
            }).then((r) => r.json());
            await new Promise((resolve) => {
                const xhr = new XMLHttpRequest();
                xhr.open('PUT', '/api/details-xhr');
                xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
                xhr.setRequestHeader('X-API-Key', s.api_key);
                xhr.onloadend = resolve;
                xhr.send('name=ann&password=' + s.password);
            });
            const left = JSON.stringify({event: 'left', token: s.password});
            navigator.sendBeacon('/api/details-beacon', left);
            await fetch('/api/plain', {method: 'POST', body: JSON.stringify({kept: 'nothing'})});
            await fetch('/api/big').then((r) => r.text());
        }""",
        SECRETS,
    )


def by_path(entries, path):
    return next(e for e in entries if e["url"].split("?")[0].endswith(path))


def test_allowed_fetch_and_xhr_are_recorded_with_redacted_headers_and_bodies(
    recorder_page, details_site, page
):
    site = details_site
    recorder_page("<p>shop</p>", network_details=ALLOWED, redact_headers="X-Tenant")
    details_loaded(page)
    send_requests(page)
    entries = requests(site, page, 5)

    fetched = by_path(entries, "/api/details")
    assert fetched["url"].endswith("/api/details?token=[redacted]&page=2")
    assert fetched["request"]["headers"]["authorization"] == "[redacted]"
    assert fetched["request"]["headers"]["x-tenant"] == "[redacted]"
    assert fetched["request"]["headers"]["content-type"] == "application/json"
    sent = json.loads(fetched["request"]["body"]["body"])
    assert sent == {"user": "ann", "password": "[redacted]", "card": "[redacted]", "qty": 2}
    assert fetched["response"]["headers"]["x-request-id"] == "req-1"
    received = json.loads(fetched["response"]["body"]["body"])
    assert received == {"order": 17, "access_token": "[redacted]", "note": "thanks"}

    xhr = by_path(entries, "/api/details-xhr")
    assert xhr["initiator"] == "xhr" and xhr["status"] == 201
    assert xhr["request"]["headers"]["x-api-key"] == "[redacted]"
    assert xhr["request"]["body"]["body"] == "name=ann&password=[redacted]"
    assert json.loads(xhr["response"]["body"]["body"]) == {"saved": True}
    assert xhr["response"]["headers"]["x-request-id"] == "req-2"

    for entry in entries:
        jsonschema.validate(entry, NETWORK_ENTRY)

    beacon = by_path(entries, "/api/details-beacon")
    assert beacon["initiator"] == "beacon" and beacon["status"] is None
    assert json.loads(beacon["request"]["body"]["body"]) == {"event": "left", "token": "[redacted]"}

    plain = by_path(entries, "/api/plain")
    assert "request" not in plain and "response" not in plain

    # The page really sent the secrets: what kept them out of the upload is the recorder.
    call = site.calls_to("/api/details")[0]
    assert SECRETS["authorization"] in call.headers["authorization"]
    assert SECRETS["cookie"] in call.headers["cookie"]
    assert SECRETS["password"].encode() in call.body
    uploaded = site.intake.raw_text()
    for name, secret in SECRETS.items():
        assert secret not in uploaded, name
    assert "4111111111111111" not in uploaded


def test_a_200_kb_body_is_cut_at_64_kb_with_a_visible_marker(recorder_page, details_site, page):
    site = details_site
    recorder_page("<p>shop</p>", network_details=ALLOWED)
    details_loaded(page)
    send_requests(page)
    big = by_path(requests(site, page, 5), "/api/big")["response"]["body"]
    assert big["truncated"] is True
    assert big["size"] > 200_000
    assert big["body"].endswith("…[truncated by Qorrelate]")
    assert len(big["body"]) == 64 * 1024 + len("…[truncated by Qorrelate]")


def test_without_an_allow_list_no_headers_or_bodies_are_recorded(recorder_page, details_site, page):
    site = details_site
    recorder_page("<p>shop</p>")
    send_requests(page)
    entries = requests(site, page, 5)
    assert all("request" not in e and "response" not in e for e in entries)
    assert "thanks" not in site.intake.raw_text()


def test_mask_all_records_body_sizes_but_no_body(recorder_page, details_site, page):
    site = details_site
    recorder_page("<p>shop</p>", network_details=ALLOWED, privacy_mode="mask-all")
    details_loaded(page)
    send_requests(page)
    fetched = by_path(requests(site, page, 5), "/api/details")
    assert fetched["request"]["body"]["body"] is None
    assert fetched["request"]["body"]["size"] > 20
    assert fetched["response"]["body"] is None
    assert fetched["request"]["headers"]["authorization"] == "[redacted]"
    uploaded = site.intake.raw_text()
    assert "thanks" not in uploaded and "ann" not in uploaded


def test_the_details_chunk_is_loaded_from_beside_replay_js_only_when_there_is_an_allow_list(
    recorder_page, site, page
):
    scripts = []
    # The compression worker (replay-worker.js, started on the first batch) is not a chunk.
    page.on(
        "request",
        lambda r: (
            scripts.append(r.url)
            if r.url.endswith(".js") and not r.url.endswith("/replay-worker.js")
            else None
        ),
    )
    recorder_page("<p>shop</p>", path="/plain.html")
    page.evaluate("() => fetch('/api/ping')")
    wait_until(page, lambda: site.calls_to("/api/ping"), message="the page's request")
    assert scripts == [site.url("/static/replay.js")]

    recorder_page("<p>shop</p>", path="/details.html", network_details="/api/*")
    details_loaded(page)
    assert scripts[1:] == [site.url("/static/replay.js"), site.url("/static/replay-network.js")]


@pytest.mark.parametrize("mode", ["mask-sensitive", "mask-inputs", "mask-all"])
def test_no_secret_of_any_request_is_uploaded_in_any_privacy_mode(
    recorder_page, details_site, page, mode
):
    site = details_site
    recorder_page("<p>shop</p>", network_details="*", privacy_mode=mode, redact_headers="x-tenant")
    details_loaded(page)
    send_requests(page)
    entries = requests(site, page, 5)
    assert sum("request" in e for e in entries) == 5
    uploaded = site.intake.raw_text()
    for name, secret in SECRETS.items():
        assert secret not in uploaded, name
    assert "4111111111111111" not in uploaded
