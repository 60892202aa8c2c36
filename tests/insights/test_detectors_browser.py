"""The detectors on real sessions: Chromium plays pages written for them with the built
replay.js, the batches go through the intake, the detection task reads the stored session, and
each finding must be exactly where the page says it happened — and nothing anywhere else."""

import pytest

from apps.insights.models import Finding
from apps.insights.tasks import detect_session
from apps.replay.models import Session

from . import scenarios
from .labelled_set import MATCH_MS
from .recording import record

pytestmark = [pytest.mark.django_db, pytest.mark.browser]
# The finding's moment against the page's own mark (both on the page's clock).
WITHIN_MS = 300


def stored_findings(post_batch, organization, recording) -> list[Finding]:
    for batch in recording.batches:
        payload = {name: value for name, value in batch.items() if name != "org"}
        response = post_batch(organization, payload)
        assert response.status_code == 200, response.content
    session = Session.objects.get(organization=organization, session_id=recording.session_id)
    detect_session(organization.pk, session.pk)
    return list(
        Finding.objects.filter(organization=organization, session=session).order_by("ts_ms")
    )


def found(browser, site, post_batch, organization, scenario):
    recording = record(browser, site, scenario)
    return recording, stored_findings(post_batch, organization, recording)


def test_a_message_that_comes_and_goes_after_a_submit_is_an_invisible_error(
    browser, site, post_batch, org_a
):
    recording, findings = found(browser, site, post_batch, org_a, scenarios.transient_message)
    assert [f.kind for f in findings] == ["invisible_error"]
    finding = findings[0]
    assert finding.element_text == "Apply coupon"
    assert abs(finding.ts_ms - recording.marks["clicked"]) <= WITHIN_MS
    assert finding.evidence["message"] == "This code has expired"
    assert 1_800 <= finding.evidence["shown_ms"] <= 3_000
    assert "This code has expired" in finding.sentence


def test_a_form_the_browser_refuses_is_an_invisible_error(browser, site, post_batch, org_a):
    recording, findings = found(browser, site, post_batch, org_a, scenarios.native_validation)
    assert [f.kind for f in findings] == ["invisible_error"]
    finding = findings[0]
    assert finding.element_text == "Subscribe"
    assert abs(finding.ts_ms - recording.marks["clicked"]) <= WITHIN_MS
    assert finding.evidence["native_validation"] is True
    assert finding.evidence["invalid_fields"] == ["contact"]
    assert site.calls_to("/api/subscribe") == []


def test_a_double_clicked_place_order_in_a_single_page_app_is_a_double_submit(
    browser, site, post_batch, org_a
):
    recording, findings = found(browser, site, post_batch, org_a, scenarios.spa_double_submit)
    assert [f.kind for f in findings] == ["double_submit"]
    finding = findings[0]
    assert finding.element_text == "Place order"
    assert finding.url.endswith("/shop/cart")
    assert abs(finding.ts_ms - recording.marks["clicked"]) <= WITHIN_MS
    assert 100 <= finding.evidence["gap_ms"] <= 250
    assert [r["status"] for r in finding.evidence["requests"]] == [201, 500]
    assert finding.sentence.startswith("Clicked 'Place order' twice ")
    assert "the second returned 500" in finding.sentence
    assert len(site.calls_to("/api/orders")) == 2


@pytest.mark.parametrize(
    ("scenario", "measured_by"),
    [
        (scenarios.slow_page, "longtask"),
        (scenarios.slow_page_without_long_tasks, "frame"),
    ],
    ids=["long-tasks-api", "frame-gaps"],
)
def test_a_click_that_blocks_the_main_thread_is_a_slow_page(
    browser, site, post_batch, org_a, scenario, measured_by
):
    recording, findings = found(browser, site, post_batch, org_a, scenario)
    assert [f.kind for f in findings] == ["slow_page"]
    finding = findings[0]
    assert finding.evidence["measured_by"] == [measured_by]
    # The worst window starts at its first long task: on a busy machine Chromium may block a
    # little before the click too (a real frame gap), so the moment is judged as the
    # labelled set judges it.
    assert abs(finding.ts_ms - recording.marks["clicked"]) <= MATCH_MS
    assert finding.evidence["long_tasks"] >= 5
    # Five 300 ms loops: about 1.25 s past the 50 ms every task is allowed.
    assert 1_000 <= finding.evidence["blocking_ms"] <= 4_000
    assert finding.url.endswith("/shop/")


@pytest.mark.parametrize("scenario", scenarios.MUST_NOT_FIND, ids=lambda s: s.name)
def test_nothing_is_found_on_a_page_that_worked(browser, site, post_batch, org_a, scenario):
    recording, findings = found(browser, site, post_batch, org_a, scenario)
    stamps = [event["timestamp"] for event in recording.events]
    assert any(event["type"] == 2 for event in recording.events)  # the page was recorded
    assert max(stamps) - min(stamps) >= 2_000  # and the visit went on after what it did
    assert [(f.kind, f.sentence) for f in findings] == []
