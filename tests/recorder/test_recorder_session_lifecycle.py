"""Session lifecycle as OpenTelemetry's session conventions say: one session across the tabs of
an origin (each tab a window with its own id and batch sequence), session.start and session.end
events with session.id and session.previous_id, and a maximum session length."""

import json
from pathlib import Path

import jsonschema

from .sites import wait_until

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "apps/replay/protocol/recorder.schema.json").read_text()
)


def _valid(definition: str, value) -> None:
    jsonschema.validate(value, {**SCHEMA, "$ref": f"#/$defs/{definition}"})


def _lifecycle(site, tag):
    return [
        (batch["session_id"], e["data"]["payload"])
        for batch in site.intake.accepted()
        for e in batch["events"]
        if e["type"] == 5 and e["data"]["tag"] == tag
    ]


def test_two_tabs_of_one_site_share_one_session_with_distinct_window_ids(recorder_page, site, page):
    url = recorder_page("<p id=one>first tab</p>")
    second = page.context.new_page()
    second.goto(url)
    sid = page.evaluate("qorrelate.getSessionId()")
    assert second.evaluate("qorrelate.getSessionId()") == sid
    page.evaluate("qorrelate.flush()")
    second.evaluate("qorrelate.flush()")

    batches = wait_until(
        page,
        lambda: (
            len({b.get("window_id") for b in site.intake.accepted()}) == 2
            and site.intake.accepted()
        ),
        message="batches of both tabs",
    )
    windows = {b["window_id"] for b in batches}
    assert {b["session_id"] for b in batches} == {sid}
    assert len(windows) == 2
    for window in windows:
        seqs = [b["seq"] for b in batches if b["window_id"] == window]
        assert seqs == list(range(len(seqs))), "each tab numbers its own batches from 0"
        first = [e["type"] for e in next(b for b in batches if b["window_id"] == window)["events"]]
        assert 4 in first and 2 in first, "each tab has its own full snapshot"
    # Only the tab that started the session says so; the second one joined it.
    starts = _lifecycle(site, "session.start")
    assert len(starts) == 1 and starts[0][1]["session.id"] == sid
    assert starts[0][1]["session.previous_id"] is None and starts[0][1]["reason"] == "new"
    _valid("sessionEvent", starts[0][1])
    for batch in batches:
        _valid("batch", batch)
    second.close()


def test_a_reload_keeps_the_tab_window_and_a_new_tab_gets_its_own(recorder_page, site, page):
    url = recorder_page("<p>shop</p>")
    page.evaluate("qorrelate.flush()")
    first = wait_until(page, lambda: site.intake.accepted(), message="a batch")[0]["window_id"]
    page.reload()
    page.evaluate("qorrelate.event('after-reload', {}); qorrelate.flush()")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert {b["window_id"] for b in site.intake.accepted()} == {first}

    other = page.context.new_page()
    other.goto(url)
    other.evaluate("qorrelate.flush()")
    wait_until(
        page, lambda: len({b["window_id"] for b in site.intake.accepted()}) == 2, message="tab 2"
    )
    other.close()


def test_a_popup_that_copies_the_tabs_storage_gets_a_window_of_its_own(recorder_page, site, page):
    """A browser copies sessionStorage into a popup (and a duplicated tab) while the first tab
    still runs: the copy must not number its batches as the first tab's window, or the server
    would take them for duplicates and drop them."""
    url = recorder_page("<p>shop</p>")
    page.evaluate("qorrelate.flush()")
    first = wait_until(page, lambda: site.intake.accepted(), message="a batch")[0]["window_id"]
    with page.expect_popup() as opened:
        page.evaluate("url => window.open(url)", url)
    popup = opened.value
    popup.wait_for_function("() => window.qorrelate && window.qorrelate.getSessionId()")
    assert popup.evaluate("sessionStorage.getItem('qorrelate.window')") is not None
    popup.evaluate("qorrelate.event('in-the-popup', {}); qorrelate.flush()")

    def popup_batches_through_its_event():
        # The popup may send its first batch (its snapshot) before the one with its event.
        batches = [b for b in site.intake.accepted() if b["window_id"] != first]
        has_event = any(
            e["type"] == 5 and e["data"]["tag"] == "qorrelate.event"
            for b in batches
            for e in b["events"]
        )
        return batches if has_event else None

    batches = wait_until(
        page,
        popup_batches_through_its_event,
        message="the popup's event, under a window of its own",
    )
    assert batches[0]["seq"] == 0, "the popup numbers its window's batches from 0"
    assert {b["session_id"] for b in batches} == {page.evaluate("qorrelate.getSessionId()")}
    popup.close()


def test_past_the_maximum_length_the_session_rolls_over_with_its_previous_id(
    recorder_page, site, page
):
    recorder_page("<input id=q>", max_session_length=1500, inactivity_timeout=600_000)
    old = page.evaluate("qorrelate.getSessionId()")
    page.click("#q")
    # The user stays active past the maximum length: the session still ends there.
    page.wait_for_function("(start) => Date.now() - start > 1600", arg=page.evaluate("Date.now()"))
    page.click("#q")
    new = wait_until(
        page,
        lambda: (sid := page.evaluate("qorrelate.getSessionId()")) != old and sid,
        message="a new session",
    )

    page.evaluate("qorrelate.flush()")
    starts = wait_until(
        page,
        lambda: [p for sid, p in _lifecycle(site, "session.start") if sid == new],
        message="the new session's start",
    )
    assert starts[0]["session.previous_id"] == old and starts[0]["reason"] == "max_length"
    ends = [p for sid, p in _lifecycle(site, "session.end") if sid == old]
    assert ends and ends[0]["session.id"] == old and ends[0]["reason"] == "max_length"
    first_new = next(b for b in site.intake.accepted() if b["session_id"] == new)
    assert first_new["previous_session_id"] == old and first_new["seq"] == 0
    assert [e["type"] for e in first_new["events"]][:2] == [4, 2]


def test_stop_ends_the_session_with_a_session_end_event(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    sid = page.evaluate("qorrelate.getSessionId()")
    page.evaluate("qorrelate.stop()")
    ends = wait_until(page, lambda: _lifecycle(site, "session.end"), message="session.end")
    assert ends == [
        (
            sid,
            {
                "session.id": sid,
                "session.previous_id": None,
                "window.id": ends[0][1]["window.id"],
                "reason": "stopped",
            },
        )
    ]
    assert [b for b in site.intake.accepted() if b["ended"]], "the last batch says it ended"
