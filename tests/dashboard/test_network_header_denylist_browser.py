"""The organization's header deny list, end to end in real Chromium: a shop page whose tag has
network details on but no data-redact-headers sends a header the organization denies; the
recorder uploads its value (the page did not say to redact it), and the intake stores no byte
of it: the stored network entry says [redacted], and no blob holds the value."""

import gzip

import pytest

from apps.privacy.network_headers import network_header_denylist_set
from apps.replay import selectors
from apps.replay.models import Batch, Segment
from apps.replay.storage import blobs
from tests.dashboard.browser import recording_shop, stored_session
from tests.recorder.sites import page_html, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
# A name that does not look secret (the recorder itself redacts token, key, auth… names).
SECRET = "customer-ref-7f3a91"
PAGE = f"""<button id=pay>Pay</button><p id=msg></p>
<script>
  document.getElementById('pay').onclick = () => fetch('/api/pay', {{
    method: 'POST', headers: {{'Content-Type': 'application/json', 'X-Customer-Ref': '{SECRET}'}},
    body: JSON.stringify({{amount: 12}}),
  }}).then(() => {{ document.getElementById('msg').textContent = 'Paid'; }});
</script>"""


def _uploaded_text(request) -> str:
    body = request.post_data_buffer or b""
    return (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body).decode("utf-8", "replace")


def test_a_header_the_organization_denies_is_never_stored_in_any_byte(
    browser, live_server, org_a, built_assets
):
    network_header_denylist_set(organization=org_a, headers=["X-Customer-Ref"])
    shop, tag = recording_shop(built_assets, live_server, org_a, network_details="/api/*")
    shop.add_page("/checkout", page_html(PAGE, script=tag))
    uploads: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on(
        "request",
        lambda r: uploads.append(_uploaded_text(r)) if "/ingest/v1/replay" in r.url else None,
    )
    try:
        page.goto(shop.url("/checkout"))
        session_id = page.evaluate("qorrelate.getSessionId()")
        # The details chunk (replay-network.js) is in before the request is made.
        page.wait_for_function(
            "() => performance.getEntriesByName(new URL('replay-network.js', "
            "document.querySelector('script[data-org-id]').src).href).length > 0"
        )
        page.click("#pay")
        page.wait_for_selector("#msg:has-text('Paid')")
        page.evaluate("qorrelate.flush()")
        wait_until(page, lambda: any(SECRET in text for text in uploads), message="the upload")
        session = stored_session(org_a, session_id)
        wait_until(
            page,
            lambda: any(
                e["type"] == 5 and e["data"]["tag"] == "qorrelate.network"
                for e in selectors.session_events(organization=org_a, session=session)
            ),
            message="the stored network entry",
        )
    finally:
        context.close()
        shop.close()

    network = [
        e["data"]["payload"]
        for e in selectors.session_events(organization=org_a, session=session)
        if e["type"] == 5 and e["data"]["tag"] == "qorrelate.network"
    ]
    pay = next(n for n in network if n["url"].endswith("/api/pay"))
    assert pay["request"]["headers"]["x-customer-ref"] == "[redacted]"
    assert pay["request"]["headers"]["content-type"] == "application/json"
    keys = list(Batch.objects.filter(session=session).values_list("key", flat=True))
    keys += list(Segment.objects.filter(session=session).values_list("key", flat=True))
    stored = b"".join(blobs.get(key) for key in keys)
    assert stored and SECRET.encode() not in stored
