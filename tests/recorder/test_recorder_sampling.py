"""data-sample-rate, start() and stop(): what is recorded when."""

from .sites import wait_until


def test_a_session_outside_the_sample_is_not_recorded_but_still_tags_requests(
    recorder_page, site, page
):
    recorder_page("<p>shop</p>", sample_rate=0)
    page.evaluate("fetch('/api/cart')")
    page.wait_for_timeout(800)

    assert site.intake.uploads == []
    call = wait_until(page, lambda: site.calls_to("/api/cart"))[0]
    assert call.headers["x-session-id"] == page.evaluate("qorrelate.getSessionId()")


def test_start_records_a_session_that_was_outside_the_sample(recorder_page, site, page):
    recorder_page("<p>shop</p>", sample_rate=0)
    page.evaluate("qorrelate.start(); qorrelate.event('kept', {})")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert {e["type"] for e in site.intake.events()} >= {2}
    assert site.intake.accepted()[0]["meta"]["sample_rate"] == 0


def test_the_sampling_decision_holds_for_the_whole_session(recorder_page, site, page):
    recorder_page("<p>shop</p>", sample_rate=0)
    page.evaluate("qorrelate.start()")
    page.reload()  # the same session: still recorded although the rate is 0
    page.evaluate("qorrelate.event('after-reload', {})")
    wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")


def test_start_after_stop_opens_a_new_session_linked_to_the_stopped_one(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    first = page.evaluate("qorrelate.getSessionId()")
    page.evaluate("qorrelate.stop()")
    page.evaluate("qorrelate.start(); qorrelate.event('again', {})")
    second = page.evaluate("qorrelate.getSessionId()")

    assert second != first
    batch = wait_until(
        page, lambda: [b for b in site.intake.accepted() if b["session_id"] == second]
    )[0]
    assert batch["previous_session_id"] == first
    assert batch["seq"] == 0
