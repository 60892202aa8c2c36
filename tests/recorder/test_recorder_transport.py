"""Batches: gzip, in order, retried on 429/503 without loss, stopped for good on other 4xx."""

from .sites import wait_until

MARK = "qorrelate.event('mark', {n: %d}); qorrelate.flush()"


def marks(site):
    return [p["payload"]["n"] for p in site.intake.custom("qorrelate.event")]


def test_batches_are_gzip_json_with_the_protocol_envelope(recorder_page, site, page):
    recorder_page("<p>shop</p>", privacy_mode="mask-all")
    batch = wait_until(page, lambda: site.intake.accepted())[0]
    upload = site.intake.uploads[0]

    assert upload.compressed
    assert upload.headers["content-type"] == "application/json"
    assert upload.query["org"] == ["org_test_recorder"]
    assert batch["org"] == "org_test_recorder"
    assert batch["seq"] == 0 and batch["ended"] is False
    assert batch["meta"]["sdk"].startswith("qorrelate-js/")
    assert batch["meta"]["privacy_mode"] == "mask-all"
    assert batch["page"]["url"] == site.url("/page.html")
    assert [e["type"] for e in batch["events"]][:1] == [5]  # the load navigation entry
    assert {4, 2} <= {e["type"] for e in batch["events"]}  # meta and full snapshot


def test_batches_arrive_in_order_with_consecutive_sequence_numbers(recorder_page, site, page):
    recorder_page("<p>shop</p>")
    for n in range(6):
        page.evaluate(MARK % n)
        page.wait_for_timeout(30)
    wait_until(page, lambda: marks(site) == list(range(6)), message="six marks")

    seqs = [up.seq for up in site.intake.uploads]
    assert seqs == sorted(seqs)
    assert seqs == list(range(len(seqs)))


def test_a_batch_answered_with_503_is_retried_after_retry_after_and_not_lost(
    recorder_page, site, page
):
    site.intake.reply(503, {"error": {"code": "unavailable"}}, {"Retry-After": "1"})
    recorder_page("<p>shop</p>")
    page.evaluate(MARK % 1)
    wait_until(page, lambda: site.intake.uploads, message="first attempt")
    page.evaluate(MARK % 2)
    wait_until(page, lambda: marks(site) == [1, 2], timeout=15, message="both marks")

    attempts = [(up.seq, up.status) for up in site.intake.uploads]
    assert attempts[0] == (0, 503)
    assert attempts[1] == (0, 200)  # the same batch again, before any later one
    assert [seq for seq, _ in attempts[1:]] == list(range(len(attempts) - 1))
    assert site.intake.uploads[1].text == site.intake.uploads[0].text


def test_a_rate_limit_429_is_retried_like_a_503(recorder_page, site, page):
    site.intake.reply(429, {"error": {"code": "rate_limited"}}, {"Retry-After": "0"}, times=2)
    recorder_page("<p>shop</p>")
    page.evaluate(MARK % 7)
    wait_until(page, lambda: marks(site) == [7], timeout=15, message="the mark")
    assert [up.status for up in site.intake.uploads][:3] == [429, 429, 200]


def test_a_final_4xx_stops_recording_and_warns_once_with_the_reason(
    recorder_page, site, page, console
):
    site.intake.reply(403, {"error": {"code": "unknown_org", "message": "No such organization"}})
    recorder_page("<input id=q>")
    wait_until(page, lambda: site.intake.uploads, message="first attempt")
    page.type("#q", "more activity")
    page.evaluate(MARK % 1)
    page.wait_for_timeout(800)

    assert len(site.intake.uploads) == 1
    warnings = [text for kind, text in console if kind == "warning" and "qorrelate" in text]
    assert len(warnings) == 1
    assert "403" in warnings[0] and "No such organization" in warnings[0]


def test_quota_exceeded_is_final_even_though_it_is_a_429(recorder_page, site, page, console):
    site.intake.reply(429, {"error": {"code": "quota_exceeded", "message": "Over plan"}})
    recorder_page("<p>shop</p>")
    wait_until(page, lambda: site.intake.uploads, message="first attempt")
    page.evaluate(MARK % 1)
    page.wait_for_timeout(1500)

    assert len(site.intake.uploads) == 1
    assert any("quota_exceeded" in text for kind, text in console if kind == "warning")


def test_events_are_sent_within_five_seconds_without_an_explicit_flush(site, page):
    from .sites import page_html, recorder_tag

    tag = recorder_tag(site.url("/static/replay.js"), org_id="org_timer")
    page.goto(site.add_page("/timer.html", page_html("<p>idle</p>", script=tag)))
    batch = wait_until(page, lambda: site.intake.accepted(), message="a batch sent by the timer")[0]
    # Measured on the page's own clock (when the batch was cut), not by how long the test
    # waited for it to arrive, which a busy machine stretches.
    assert batch["sent_at"] - batch["events"][0]["timestamp"] <= 6_500


def test_pending_events_are_sent_when_the_page_is_left(recorder_page, site, page):
    recorder_page("<p>shop</p>", flush_interval=5000)
    page.evaluate("qorrelate.event('leaving', {})")
    page.goto(site.add_page("/next.html", "<p>next page</p>"))
    events = wait_until(page, lambda: site.intake.custom("qorrelate.event"), message="the event")
    assert events == [{"name": "leaving", "payload": {}}]


def test_stop_sends_a_last_batch_marked_ended_and_nothing_after(recorder_page, site, page):
    recorder_page("<input id=q>")
    page.evaluate("qorrelate.stop()")
    ended = wait_until(page, lambda: [b for b in site.intake.accepted() if b["ended"]])
    page.type("#q", "after stop")
    page.wait_for_timeout(600)

    assert len(ended) == 1
    assert site.intake.accepted()[-1]["ended"] is True


def test_memory_stays_bounded_and_a_dropped_marker_tells_what_was_lost(recorder_page, site, page):
    site.intake.reply(503, {}, {"Retry-After": "3"})
    recorder_page("<div id=box></div>")
    # About 40 MB of mutations while the intake is unavailable (more than the 32 MB bound);
    # each paragraph is removed again so the page itself stays small, and each waits for the
    # last one to be recorded (a timeline event thaws the recorder's coalescing of mutations).
    page.evaluate(
        """() => {
            const chunk = 'x'.repeat(1024 * 1024);
            for (let i = 0; i < 40; i++) {
                setTimeout(() => {
                    const box = document.querySelector('#box');
                    box.replaceChildren(Object.assign(document.createElement('p'), {
                        textContent: i + chunk,
                    }));
                    qorrelate.event('tick', {});
                }, i * 5);
            }
        }"""
    )
    page.wait_for_timeout(1000)
    page.evaluate("qorrelate.event('after', {})")
    dropped = wait_until(
        page, lambda: site.intake.custom("qorrelate.dropped"), timeout=20, message="the marker"
    )
    assert dropped[0]["count"] > 0 and dropped[0]["reason"] == "buffer_full"
    # A fresh full snapshot after the gap keeps the rest of the replay whole.
    wait_until(
        page,
        lambda: len([e for e in site.intake.events() if e["type"] == 2]) >= 2,
        message="a second full snapshot",
    )
    largest = max(len(up.text) for up in site.intake.uploads)
    assert largest < 2 * 1024 * 1024  # batches are cut at about 512 KB


def test_batches_go_cross_origin_to_data_endpoint_after_a_cors_preflight(
    recorder_page, site, third_party, page
):
    recorder_page("<p>shop</p>", endpoint=third_party.origin)
    page.evaluate(MARK % 1)
    wait_until(page, lambda: marks(third_party) == [1], message="the mark at the endpoint")

    assert site.intake.uploads == []
    assert [p.path.split("?")[0] for p in third_party.preflights] == ["/ingest/v1/replay"]
    assert {up.headers.get("origin") for up in third_party.intake.uploads} == {site.origin}
    assert page.evaluate("qorrelate.getSessionURL()").startswith(third_party.origin + "/r/")
