"""One session across the tabs of an origin: each tab (window) numbers its batches from 0, the
server keeps one batch per (session, window, seq), compacts and plays each window on its own,
and says how many tabs the session spans. Lifecycle events (OpenTelemetry's session.start /
session.end) become marks on the session's timeline."""

import orjson
import pytest

from apps.replay import selectors
from apps.replay.models import Batch, Segment, Session
from apps.replay.services import session_compact
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db
TAB_A = "aaaaaaaa-0000-4000-8000-000000000001"
TAB_B = "bbbbbbbb-0000-4000-8000-000000000002"


def _batch(sid, window, seq, events, **kwargs):
    body = rrweb.envelope(sid, seq, events, **kwargs)
    body["window_id"] = window
    return body


@pytest.fixture
def two_tabs(org_a, post_batch):
    """Tab A opens the shop, tab B opens the help page a second later; each sends seq 0 and 1."""
    sid = rrweb.new_session_id()
    posts = [
        _batch(sid, TAB_A, 0, rrweb.page_load(T0, "https://shop.test/")),
        _batch(sid, TAB_B, 0, rrweb.page_load(T0 + 1000, "https://shop.test/help")),
        _batch(sid, TAB_A, 1, [rrweb.click(T0 + 2000), rrweb.mutation(T0 + 2100, "Cart: 1")]),
        _batch(sid, TAB_B, 1, [rrweb.click(T0 + 3000), rrweb.mutation(T0 + 3100, "Help: ok")]),
    ]
    for body in posts:
        response = post_batch(org_a, body)
        assert response.status_code == 200, response.content
        assert response.json()["duplicate"] is False
    return Session.objects.get(organization=org_a, session_id=sid)


def _texts(events_json: bytes) -> str:
    return orjson.dumps(orjson.loads(events_json)).decode()


def test_two_tabs_batch_zero_are_two_batches_of_one_session(org_a, two_tabs):
    rows = Batch.objects.filter(organization=org_a, session=two_tabs)
    assert sorted(rows.values_list("window_id", "seq")) == [
        (TAB_A, 0),
        (TAB_A, 1),
        (TAB_B, 0),
        (TAB_B, 1),
    ]
    assert two_tabs.batch_count == 4


def test_a_retried_batch_is_a_duplicate_only_within_its_own_window(org_a, post_batch, two_tabs):
    again = _batch(two_tabs.session_id, TAB_B, 1, [rrweb.click(T0 + 3000)])
    assert post_batch(org_a, again).json()["duplicate"] is True
    assert Batch.objects.filter(organization=org_a, session=two_tabs).count() == 4


def test_the_session_lists_its_tabs_first_opened_first(org_a, owner_client, two_tabs):
    data = owner_client.get(f"/api/v1/sessions/{two_tabs.session_id}").json()
    assert data["timeline"]["counts"]["windows"] == 2
    assert [(w["window_id"], w["offset_ms"]) for w in data["timeline"]["windows"]] == [
        (TAB_A, 0),
        (TAB_B, 1000),
    ]


def test_the_events_api_plays_one_tab_at_a_time_the_first_by_default(owner_client, two_tabs):
    url = f"/api/v1/sessions/{two_tabs.session_id}/events"
    first = _texts(b"".join(owner_client.get(url).streaming_content))
    tab_b = _texts(b"".join(owner_client.get(url, {"window": TAB_B}).streaming_content))

    assert "Cart: 1" in first and "Help: ok" not in first
    assert "Help: ok" in tab_b and "Cart: 1" not in tab_b
    # Each tab's events start at its own page load and full snapshot, in its own order.
    events = orjson.loads(tab_b)
    assert [e["type"] for e in events][:3] == [5, 4, 2]
    assert events[1]["data"]["href"] == "https://shop.test/help"
    assert owner_client.get(
        url, {"window": "cccccccc-0000-4000-8000-000000000003"}
    ).status_code == (404)


def test_compaction_keeps_each_tab_in_its_own_segments_and_playback_unchanged(
    org_a, owner_client, two_tabs
):
    url = f"/api/v1/sessions/{two_tabs.session_id}/events"
    before = {
        w: b"".join(owner_client.get(url, {"window": w}).streaming_content) for w in (TAB_A, TAB_B)
    }

    segments = session_compact(organization=org_a, session=two_tabs)

    assert sorted((s.window_id, s.first_seq, s.last_seq) for s in segments) == [
        (TAB_A, 0, 1),
        (TAB_B, 0, 1),
    ]
    assert Segment.objects.filter(organization=org_a, session=two_tabs).count() == 2
    after = {
        w: b"".join(owner_client.get(url, {"window": w}).streaming_content) for w in (TAB_A, TAB_B)
    }
    assert after == before


def test_a_recorder_that_sends_no_window_is_one_window(org_a, post_batch):
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, rrweb.page_load(T0)))
    session = Session.objects.get(organization=org_a, session_id=sid)
    assert selectors.session_windows(organization=org_a, session=session)[0]["window_id"] == ""


def test_a_malformed_window_id_is_refused_with_a_clear_error(org_a, post_batch):
    body = _batch(rrweb.new_session_id(), "no/slashes", 0, rrweb.page_load(T0))
    response = post_batch(org_a, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_window_id"


def test_session_start_and_end_are_marks_on_the_timeline(org_a, post_batch, owner_client):
    old, sid = rrweb.new_session_id(), rrweb.new_session_id()
    start = {
        "session.id": sid,
        "session.previous_id": old,
        "window.id": TAB_A,
        "reason": "max_length",
    }
    end = {"session.id": sid, "session.previous_id": old, "window.id": TAB_A, "reason": "stopped"}
    events = [
        *rrweb.page_load(T0),
        rrweb.custom(T0 + 10, "session.start", start),
        rrweb.custom(T0 + 5000, "session.end", end),
    ]
    post_batch(org_a, _batch(sid, TAB_A, 0, events, previous_session_id=old))

    marks = owner_client.get(f"/api/v1/sessions/{sid}").json()["timeline"]["marks"]
    lifecycle = [
        (m["kind"], m["offset_ms"], m["label"], m["data"]) for m in marks if "session" in m["kind"]
    ]
    assert lifecycle == [
        (
            "session_start",
            10,
            "max length",
            {"reason": "max_length", "previous_id": old, "window_id": TAB_A},
        ),
        (
            "session_end",
            5000,
            "stopped",
            {"reason": "stopped", "previous_id": old, "window_id": TAB_A},
        ),
    ]


def test_the_detectors_read_each_tab_on_its_own(org_a, post_batch):
    """Two tabs' DOM node ids collide (each tab's rrweb numbers its own nodes): the detectors
    see one tab at a time, so a click in one tab is never judged by the other tab's DOM."""
    from apps.insights.models import Finding
    from apps.insights.services import session_detect

    sid = rrweb.new_session_id()
    for window, offset in ((TAB_A, 0), (TAB_B, 500)):
        clicks = [rrweb.click(T0 + offset + 1000 + i * 100) for i in range(5)]
        post_batch(org_a, _batch(sid, window, 0, [*rrweb.page_load(T0 + offset), *clicks]))
    session = Session.objects.get(organization=org_a, session_id=sid)

    session_detect(organization=org_a, session=session)

    findings = Finding.objects.filter(organization=org_a, session=session)
    rage = [f for f in findings if f.kind == "rage_click"]
    assert len(rage) == 2, "one rage click in each tab, not one burst of ten interleaved clicks"


def test_a_pass_while_two_tabs_record_resumes_each_tab_from_its_own_checkpoint(
    org_a, post_batch, monkeypatch
):
    import apps.insights.services as services
    from apps.insights.detect import checkpoint
    from apps.insights.models import Finding, SessionScan
    from apps.insights.services import session_detect

    sid = rrweb.new_session_id()
    for window, offset in ((TAB_A, 0), (TAB_B, 500)):
        clicks = [rrweb.click(T0 + offset + 1000 + i * 100) for i in range(2)]
        post_batch(org_a, _batch(sid, window, 0, [*rrweb.page_load(T0 + offset), *clicks]))
    session = Session.objects.get(organization=org_a, session_id=sid)
    session_detect(organization=org_a, session=session, keep=True)
    saved = checkpoint.load(SessionScan.objects.get(session=session).checkpoint)
    assert {w: (c.through, c.batches) for w, c in saved.items()} == {TAB_A: (0, 1), TAB_B: (0, 1)}

    read = []
    real = services.session_events_after

    def spy(**kwargs):
        read.append((kwargs["window_id"], kwargs["after_seq"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "session_events_after", spy)
    # Three more clicks in tab B only: with its first two, a rage click — in tab B alone.
    more = [rrweb.click(T0 + 500 + 1200 + i * 100) for i in range(3)]
    post_batch(org_a, _batch(sid, TAB_B, 1, more))
    session.refresh_from_db()
    session_detect(organization=org_a, session=session, keep=True)
    assert read == [(TAB_B, 0)]  # tab B on from its checkpoint; nothing new in tab A
    rage = list(Finding.objects.filter(session=session, kind="rage_click"))
    assert len(rage) == 1
