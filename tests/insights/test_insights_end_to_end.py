"""Through the real path: batches into the intake, the detection task over the stored
session, then what the API, the session search, the session page and the Insights pages say —
all from the same stored findings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.insights.models import Finding, Insight, InsightStatus, SessionScan
from apps.insights.tasks import detect_session, sessions_due_for_detection
from apps.replay.models import Session
from tests.insights import events as e
from tests.replay import rrweb

pytestmark = pytest.mark.django_db
T = e.T0 + 1000
TRACE_OK, TRACE_500 = "4bf92f3577b34da6a3ce929d0e0e4736", "5cf92f3577b34da6a3ce929d0e0e4737"


def _record(post_batch, organization, batches):
    sid = rrweb.new_session_id()
    for seq, events in enumerate(batches):
        response = post_batch(organization, rrweb.envelope(sid, seq, events))
        assert response.status_code == 200, response.content
    session = Session.objects.get(organization=organization, session_id=sid)
    detect_session(organization.pk, session.pk)
    return session


def _double_submit(post_batch, organization):
    # The second click and its 500 arrive in the next batch: the pass reads across batches.
    return _record(
        post_batch,
        organization,
        [
            [*e.page(), e.click(T), e.network(T + 5, trace_id=TRACE_OK, duration_ms=120)],
            [e.click(T + 181), e.network(T + 186, status=500, trace_id=TRACE_500), e.idle(T + 9e3)],
        ],
    )


def _toast(post_batch, organization, text="Coupon code expired"):
    toast = e.el(200, "div", [e.text(201, text)])
    return _record(
        post_batch,
        organization,
        [
            [
                *e.page(),
                e.click(T),
                e.add(T + 30, e.TOASTS, toast),
                e.remove(T + 2030, e.TOASTS, 200),
                e.idle(T + 9000),
            ]
        ],
    )


def test_a_double_submit_across_two_batches_is_found_grouped_and_marked(
    post_batch, org_a, owner_client
):
    session = _double_submit(post_batch, org_a)
    finding = Finding.objects.get(organization=org_a, session=session)
    assert finding.kind == "double_submit"
    assert finding.offset_ms == T - session.start_ms
    assert finding.sentence.startswith("Clicked 'Place order' twice 181 ms apart")
    assert finding.evidence["requests"][1]["status"] == 500
    assert finding.insight.page == "/checkout"
    assert finding.insight.session_count == 1

    detail = owner_client.get(f"/api/v1/sessions/{session.session_id}").json()["timeline"]
    marks = [m for m in detail["marks"] if m["kind"] == "double_submit"]
    assert [m["label"] for m in marks] == [finding.sentence]

    found = owner_client.get("/api/v1/sessions", {"finding": "double_submit"}).json()["results"]
    assert [row["session_id"] for row in found] == [session.session_id]
    assert owner_client.get("/api/v1/sessions", {"finding": "slow_page"}).json()["results"] == []


def test_the_vanished_toast_is_searchable_by_its_text(post_batch, org_a, owner_client):
    session = _toast(post_batch, org_a)
    found = owner_client.get("/api/v1/sessions", {"error": "Coupon"}).json()["results"]
    assert [row["session_id"] for row in found] == [session.session_id]


def test_reading_a_session_again_replaces_its_findings(post_batch, org_a):
    session = _double_submit(post_batch, org_a)
    detect_session(org_a.pk, session.pk)
    assert Finding.objects.filter(session=session).count() == 1
    assert Insight.objects.get(organization=org_a).finding_count == 1


def test_a_pass_that_finds_what_the_last_one_stored_writes_only_its_progress(
    post_batch, org_a, django_assert_max_num_queries
):
    session = _double_submit(post_batch, org_a)
    finding = Finding.objects.get(session=session)
    # Another batch with nothing new in it: the pass reads it, finds the same, rewrites nothing.
    post_batch(org_a, rrweb.envelope(session.session_id, 2, [e.idle(T + 9500)]))
    session.refresh_from_db()
    with django_assert_max_num_queries(10):
        detect_session(org_a.pk, session.pk)
    assert Finding.objects.get(session=session).pk == finding.pk  # the same row, not a new one
    assert SessionScan.objects.get(session=session).batch_count == 3


def test_a_session_where_nothing_is_found_is_marked_read_with_no_findings_written(
    post_batch, org_a
):
    session = _record(post_batch, org_a, [[*e.page(), e.idle(T + 9000)]])
    scan = SessionScan.objects.get(session=session)
    assert (scan.batch_count, scan.failed) == (1, False)
    assert not Finding.objects.filter(session=session).exists()
    assert sessions_due_for_detection(now=timezone.now() + timedelta(minutes=5)) == []


def test_an_insight_counts_sessions_and_findings_as_they_come_and_go(
    post_batch, org_a, monkeypatch
):
    first = _double_submit(post_batch, org_a)
    second = _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a, kind="double_submit")
    assert (insight.session_count, insight.finding_count) == (2, 2)
    detect_session(org_a.pk, first.pk)  # read again: counted once, not twice
    insight.refresh_from_db()
    assert (insight.session_count, insight.finding_count) == (2, 2)
    # A pass that no longer finds it in the second session (say the detector was narrowed).
    monkeypatch.setattr("apps.insights.services.detect_timeline", lambda timeline: [])
    detect_session(org_a.pk, second.pk)
    insight.refresh_from_db()
    assert (insight.session_count, insight.finding_count) == (1, 1)
    assert not Finding.objects.filter(session=second).exists()


def test_two_sessions_with_the_same_problem_are_one_insight(post_batch, org_a):
    _double_submit(post_batch, org_a)
    _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a, kind="double_submit")
    assert insight.session_count == 2


def test_a_resolved_insight_seen_again_is_reopened_as_a_regression(post_batch, org_a):
    session = _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a)
    insight.status, insight.resolved_at = InsightStatus.RESOLVED, session.started_at
    insight.save()
    # A later session (its events after the resolution) brings it back.
    _record(
        post_batch,
        org_a,
        [
            [
                *e.page(T + 60_000),
                e.click(T + 61_000),
                e.network(T + 61_005),
                e.click(T + 61_200),
                e.network(T + 61_205, status=500),
                e.idle(T + 70_000),
            ]
        ],
    )
    insight.refresh_from_db()
    assert insight.status == InsightStatus.NEW
    assert insight.regressed is True


def test_the_api_lists_insights_and_findings_and_changes_a_status(
    post_batch, org_a, owner_client, viewer_client, outsider_client
):
    session = _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a)
    listed = owner_client.get("/api/v1/insights", {"kind": "double_submit"}).json()["results"]
    assert [row["id"] for row in listed] == [insight.pk]
    findings = owner_client.get("/api/v1/findings", {"session_id": session.session_id}).json()
    assert [f["kind"] for f in findings["results"]] == ["double_submit"]
    assert owner_client.get("/api/v1/insights", {"kind": "nope"}).status_code == 400

    assert (
        viewer_client.patch(
            f"/api/v1/insights/{insight.pk}", {"status": "resolved"}, format="json"
        ).status_code
        == 403
    )
    changed = owner_client.patch(
        f"/api/v1/insights/{insight.pk}", {"status": "acknowledged"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "acknowledged"
    assert outsider_client.get(f"/api/v1/insights/{insight.pk}").status_code == 404
    assert outsider_client.get("/api/v1/findings").json()["results"] == []


def test_the_insights_pages_show_the_problem_and_open_the_session_at_the_moment(
    post_batch, org_a, alice, bob, charlie, client
):
    session = _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a)
    finding = Finding.objects.get(session=session)
    client.force_login(alice)
    listing = client.get(f"/o/{org_a.slug}/insights/").content.decode()
    assert "Double submit" in listing and "/checkout" in listing
    detail = client.get(f"/o/{org_a.slug}/insights/{insight.pk}/").content.decode()
    assert f"/o/{org_a.slug}/sessions/{session.session_id}/?t={finding.offset_ms}" in detail
    assert "Chrome" in detail  # who it hits
    page = client.get(f"/o/{org_a.slug}/sessions/{session.session_id}/").content.decode()
    assert finding.sentence.replace("'", "&#x27;") in page

    response = client.post(f"/o/{org_a.slug}/insights/{insight.pk}/", {"action": "ticket"})
    assert response.status_code == 302
    from apps.tickets.models import TicketSessionLink

    assert TicketSessionLink.objects.filter(organization=org_a, session=session).exists()

    client.force_login(charlie)
    assert client.get(f"/o/{org_a.slug}/insights/{insight.pk}/").status_code == 404


def test_an_empty_insights_page_says_what_happens_next(org_a, client, alice):
    client.force_login(alice)
    page = client.get(f"/o/{org_a.slug}/insights/").content.decode()
    assert "Nothing found yet" in page
    assert "could not be read" not in page  # no failure: no notice


def test_quiet_sessions_with_unread_batches_are_due_and_read_ones_are_not(post_batch, org_a):
    from datetime import timedelta

    from django.utils import timezone

    session = _double_submit(post_batch, org_a)
    later = timezone.now() + timedelta(minutes=1)
    assert (org_a.pk, session.pk) not in sessions_due_for_detection(now=later)
    post_batch(org_a, rrweb.envelope(session.session_id, 2, [e.idle(T + 20_000)]))
    assert (org_a.pk, session.pk) in sessions_due_for_detection(now=later)


def test_a_session_the_detectors_fail_on_keeps_its_data(post_batch, org_a, monkeypatch):
    import apps.insights.services as services

    def boom(events):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(services, "detect_timeline", boom)
    session = _toast(post_batch, org_a)
    assert Finding.objects.filter(session=session).count() == 0
    assert session.batch_count == 1  # stored and acknowledged all the same


def test_the_insights_page_counts_the_sessions_the_detectors_failed_on(
    post_batch, org_a, monkeypatch, client, alice
):
    import apps.insights.services as services

    def boom(timeline):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(services, "detect_timeline", boom)
    _toast(post_batch, org_a)
    _toast(post_batch, org_a)
    client.force_login(alice)
    page = client.get(f"/o/{org_a.slug}/insights/").content.decode()
    assert "2 sessions of the last 14 days could not be read by the detectors" in page
    assert "Their recordings are kept" in page


def test_a_session_still_being_recorded_is_read_again_every_two_minutes(post_batch, org_a):
    from datetime import timedelta

    from django.utils import timezone

    from apps.insights.models import SessionScan

    session = _double_submit(post_batch, org_a)
    post_batch(org_a, rrweb.envelope(session.session_id, 2, [e.idle(T + 20_000)]))
    now = timezone.now()
    # Batches keep coming (never quiet): not yet, since the last pass is fresh…
    assert (org_a.pk, session.pk) not in sessions_due_for_detection(now=now)
    Session.objects.filter(pk=session.pk).update(created_at=now - timedelta(minutes=30))
    SessionScan.objects.filter(session=session).update(scanned_at=now - timedelta(minutes=3))
    # …but once it is a few minutes old, the new batches are read while it goes on.
    assert (org_a.pk, session.pk) in sessions_due_for_detection(now=now)


def test_the_trend_counts_sessions_per_day_of_the_finding(post_batch, org_a):
    from datetime import UTC, datetime

    from apps.insights.selectors import insight_trend

    _double_submit(post_batch, org_a)
    _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a, kind="double_submit")
    moment = datetime.fromtimestamp(T / 1000, tz=UTC)
    trend = insight_trend(organization=org_a, insight=insight, now=moment)
    assert len(trend) == 14 and trend[-1]["day"] == moment.date()
    assert [day["sessions"] for day in trend] == [0] * 13 + [2]
    assert trend[-1]["height"] == 100 and trend[0]["height"] == 0


def test_a_pass_while_the_session_goes_on_reads_only_the_batches_since_the_last_one(
    post_batch, org_a, monkeypatch
):
    import apps.insights.services as services

    read_after = []
    real = services.session_events_after

    def spy(**kwargs):
        read_after.append(kwargs["after_seq"])
        return real(**kwargs)

    monkeypatch.setattr(services, "session_events_after", spy)
    sid = rrweb.new_session_id()
    # The first click and its request; the pass runs while batches still come (put away)…
    post_batch(org_a, rrweb.envelope(sid, 0, [*e.page(), e.click(T), e.network(T + 5)]))
    session = Session.objects.get(organization=org_a, session_id=sid)
    detect_session(org_a.pk, session.pk)
    scan = SessionScan.objects.get(session=session)
    assert _put_away(scan) == [(0, 1)]  # one window, read through batch 0, one batch
    assert not Finding.objects.filter(session=session).exists()
    # …the second click, 181 ms later, arrives in the next batch: read alone, on from the first.
    post_batch(
        org_a,
        rrweb.envelope(sid, 1, [e.click(T + 181), e.network(T + 186, status=500), e.idle(T + 9e3)]),
    )
    detect_session(org_a.pk, session.pk)
    assert read_after == [None, 0]
    assert Finding.objects.get(session=session).kind == "double_submit"
    assert _put_away(SessionScan.objects.get(session=session)) == [(1, 2)]


def _put_away(scan) -> list[tuple[int, int]]:
    from apps.insights.detect import checkpoint

    return [(w.through, w.batches) for w in checkpoint.load(scan.checkpoint).values()]


def test_a_pass_reads_the_whole_session_again_when_its_checkpoint_cannot_be_used(
    post_batch, org_a, monkeypatch
):
    import apps.insights.services as services
    from apps.insights.detect import checkpoint

    read_after = []
    real = services.session_events_after

    def spy(**kwargs):
        read_after.append(kwargs["after_seq"])
        return real(**kwargs)

    session = _double_submit(post_batch, org_a)
    scan = SessionScan.objects.get(session=session)
    assert _put_away(scan) == [(1, 2)]  # the session was just recorded: still going on
    monkeypatch.setattr(services, "session_events_after", spy)
    # A damaged checkpoint: read from the start.
    SessionScan.objects.filter(pk=scan.pk).update(checkpoint=b"damaged")
    detect_session(org_a.pk, session.pk)
    assert read_after == [None]
    assert Finding.objects.get(session=session).kind == "double_submit"
    # A checkpoint that read fewer batches than are now stored below its last one (a batch
    # came in late): read from the start too.
    scan.refresh_from_db()
    ((window_id, saved),) = checkpoint.load(scan.checkpoint).items()
    stale = checkpoint.dump({window_id: saved._replace(batches=1)})
    SessionScan.objects.filter(pk=scan.pk).update(checkpoint=stale)
    detect_session(org_a.pk, session.pk)
    assert read_after == [None, None]
    assert Finding.objects.get(session=session).kind == "double_submit"


def test_once_the_session_is_quiet_its_reading_is_no_longer_kept(post_batch, org_a):
    from apps.insights.tasks import detect_due_sessions

    session = _double_submit(post_batch, org_a)
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now() - timedelta(minutes=1))
    detect_session(org_a.pk, session.pk)  # the quiet pass
    assert SessionScan.objects.get(session=session).checkpoint is None
    other = _double_submit(post_batch, org_a)
    assert SessionScan.objects.get(session=other).checkpoint
    SessionScan.objects.filter(session=other).update(
        scanned_at=timezone.now() - timedelta(minutes=31)
    )
    detect_due_sessions()
    assert SessionScan.objects.get(session=other).checkpoint is None


def test_a_card_number_or_e_mail_in_a_recorded_message_never_reaches_a_finding(
    post_batch, org_a, owner_client
):
    """The detectors copy recorded words (a message, a label) into findings, insights, marks,
    the search index, alert e-mails and webhooks, where the masking audit never redacts: what
    the privacy detectors find there is replaced by its kind."""
    secret_text = "Card 4111 1111 1111 1111 declined for jane.doe@example.com"
    session = _toast(post_batch, org_a, secret_text)
    finding = Finding.objects.get(organization=org_a, session=session)
    detail = owner_client.get(f"/api/v1/sessions/{session.session_id}").json()
    stored = " ".join(
        [
            finding.sentence,
            str(finding.evidence),
            finding.element_text,
            finding.insight.title,
            str(detail["timeline"]["marks"]),
        ]
    )
    assert "Card [card_number] declined for [email]" in str(finding.evidence)
    assert "4111" not in stored and "jane.doe" not in stored
    assert owner_client.get("/api/v1/sessions", {"error": "jane.doe"}).json()["results"] == []
