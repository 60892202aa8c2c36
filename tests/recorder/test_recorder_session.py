"""The session id: kept across reloads in the tab, renewed after inactivity, linked to the old."""

import re
import uuid
from urllib.parse import urlsplit

from .conftest import ORG_ID
from .sites import wait_until


def test_the_session_id_is_a_uuid_and_survives_a_reload(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    first = page.evaluate("qorrelate.getSessionId()")
    page.reload()
    second = page.evaluate("qorrelate.getSessionId()")

    assert uuid.UUID(first).version == 4
    assert second == first
    batches = wait_until(page, lambda: len(site.intake.accepted()) >= 2 and site.intake.accepted())
    assert {b["session_id"] for b in batches} == {first}


def test_the_sequence_continues_after_a_reload_so_no_batch_is_taken_for_a_duplicate(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>")
    wait_until(page, lambda: site.intake.accepted(), message="first batch")
    page.reload()
    page.evaluate("qorrelate.event('after-reload', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")

    seqs = [b["seq"] for b in site.intake.accepted()]
    assert seqs == list(range(len(seqs)))
    assert len(seqs) >= 2


def test_a_new_session_starts_after_the_inactivity_timeout_and_names_the_previous_one(
    recorder_page, site, page
):
    recorder_page("<input id=q>", inactivity_timeout=1500)
    old = page.evaluate("qorrelate.getSessionId()")
    wait_until(page, lambda: site.intake.accepted(), message="first batch")
    page.wait_for_timeout(2000)
    page.type("#q", "back again")  # activity after the timeout
    new = page.evaluate("qorrelate.getSessionId()")

    assert new != old
    first_new = wait_until(
        page, lambda: [b for b in site.intake.accepted() if b["session_id"] == new]
    )[0]
    assert first_new["previous_session_id"] == old
    assert first_new["seq"] == 0
    # The new session opens with a full snapshot, so it can be replayed on its own.
    assert [e["type"] for e in first_new["events"]][:2] == [4, 2]


def test_a_reload_after_the_inactivity_timeout_starts_a_new_linked_session(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>", inactivity_timeout=1000)
    old = page.evaluate("qorrelate.getSessionId()")
    page.wait_for_timeout(1500)
    page.reload()
    new = page.evaluate("qorrelate.getSessionId()")

    assert new != old
    batch = wait_until(page, lambda: [b for b in site.intake.accepted() if b["session_id"] == new])[
        0
    ]
    assert batch["previous_session_id"] == old


def test_activity_within_the_timeout_keeps_the_session(recorder_page, page):
    # Gaps of 600 ms against a 5 s timeout: a busy machine stalling a keystroke for seconds
    # must not look like the user going away.
    recorder_page("<input id=q>", inactivity_timeout=5000)
    first = page.evaluate("qorrelate.getSessionId()")
    for _ in range(4):
        page.wait_for_timeout(600)
        page.type("#q", "x")
    assert page.evaluate("qorrelate.getSessionId()") == first


def test_the_session_url_links_to_the_replay_at_the_current_moment(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    page.wait_for_timeout(300)
    url = page.evaluate("qorrelate.getSessionURL()")
    session_id = page.evaluate("qorrelate.getSessionId()")

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == site.origin
    assert parts.path == f"/r/{ORG_ID}/{session_id}"
    offset = int(re.fullmatch(r"t=(\d+)", parts.query).group(1))
    assert 300 <= offset < 30_000
