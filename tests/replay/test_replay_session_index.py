"""The session index row is kept current from realistic rrweb batches as they arrive."""

import pytest

from apps.replay.models import Session, SessionTrace, TimelineMark
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _store(post_batch, organization, sid, batches, **envelope_kwargs):
    for seq, events in enumerate(batches):
        kwargs = dict(envelope_kwargs)
        if seq < len(batches) - 1:
            kwargs.pop("ended", None)
        response = post_batch(organization, rrweb.envelope(sid, seq, events, **kwargs))
        assert response.status_code == 200, response.content
    return Session.objects.get(organization=organization, session_id=sid)


def test_four_quick_clicks_on_one_button_are_one_rage_click(org_a, post_batch):
    clicks = [rrweb.click(T0 + 1000 + i * 150, x=200 + i, y=300) for i in range(4)]
    session = _store(
        post_batch,
        org_a,
        rrweb.new_session_id(),
        [[*rrweb.page_load(T0), *clicks, rrweb.mutation(T0 + 1700), rrweb.mouse_move(T0 + 9000)]],
    )
    assert session.click_count == 4
    assert session.rage_click_count == 1
    assert session.dead_click_count == 0


def test_a_double_click_is_not_a_rage_click_and_clicks_far_apart_are_not_either(org_a, post_batch):
    events = [
        *rrweb.page_load(T0),
        rrweb.click(T0 + 1000),
        rrweb.click(T0 + 1100),  # the double-click race: two, not three
        rrweb.mutation(T0 + 1200),
        rrweb.click(T0 + 3000, x=10, y=10),
        rrweb.click(T0 + 3100, node_id=rrweb.RESULT, x=600, y=600),
        rrweb.click(T0 + 3200, x=10, y=500),
        rrweb.mutation(T0 + 3300),
        rrweb.mouse_move(T0 + 9000),
    ]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [events])
    assert session.click_count == 5
    assert session.rage_click_count == 0


def test_a_click_that_changes_nothing_is_a_dead_click(org_a, post_batch):
    events = [
        *rrweb.page_load(T0),
        rrweb.click(T0 + 1000),  # dead: nothing happens for seconds
        rrweb.mouse_move(T0 + 2000),
        rrweb.click(T0 + 5000),  # answered by a DOM change
        rrweb.mutation(T0 + 5300),
        rrweb.click(T0 + 8000),  # answered by a request
        rrweb.network(T0 + 8100, url="/api/cart", status=200),
        rrweb.click(T0 + 11000, node_id=rrweb.EMAIL_INPUT),  # focusing a field is an answer
        rrweb.mouse_move(T0 + 20000),
    ]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [events])
    assert session.click_count == 4
    assert session.dead_click_count == 1
    mark = TimelineMark.objects.get(session=session, kind="dead_click")
    assert mark.ts_ms == T0 + 1000


def test_a_click_at_the_very_end_of_a_batch_is_not_judged_dead_too_early(org_a, post_batch):
    first = [*rrweb.page_load(T0), rrweb.click(T0 + 1000)]
    second = [rrweb.mutation(T0 + 1400), rrweb.mouse_move(T0 + 6000)]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [first, second])
    assert session.dead_click_count == 0


def test_errors_and_failed_requests_are_counted_and_searchable(org_a, post_batch):
    events = [
        *rrweb.page_load(T0),
        rrweb.console_error(T0 + 100, "Payment widget failed to load"),
        rrweb.console_warn(T0 + 150, "deprecated API"),
        rrweb.uncaught_error(
            T0 + 200, "TypeError: cannot read properties of undefined (reading 'total')"
        ),
        rrweb.network(T0 + 300, url="/api/orders", status=500, trace_id=TRACE),
        rrweb.network(T0 + 400, url="/api/coupons", status=404, method="GET"),
        rrweb.network(T0 + 500, url="/api/ping", status=0, method="GET"),
        rrweb.network(T0 + 600, url="/api/cart", status=200, method="GET"),
        rrweb.network(T0 + 700, url="/api/cart", status=304, method="GET"),
    ]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [events])

    assert session.console_error_count == 1
    assert session.uncaught_error_count == 1
    assert session.failed_request_count == 3
    assert session.error_count == 5 and session.has_errors
    assert "Payment widget failed to load" in session.error_text
    assert "reading 'total'" in session.error_text
    assert "POST /api/orders → 500" in session.error_text
    assert "deprecated API" not in session.error_text
    failed = TimelineMark.objects.get(session=session, kind="failed_request", ts_ms=T0 + 300)
    assert failed.data == {"status": 500, "trace_id": TRACE}


def test_the_trace_ids_of_the_sessions_requests_are_kept_for_correlation(org_a, post_batch):
    other = "0af7651916cd43dd8448eb211c80319c"
    events = [
        rrweb.network(T0 + 10, trace_id=TRACE),
        rrweb.network(T0 + 20, trace_id=TRACE),
        rrweb.network(T0 + 30, trace_id=other.upper()),
        rrweb.network(T0 + 40, trace_id="not-a-trace-id"),
    ]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [events])
    traces = dict(SessionTrace.objects.filter(session=session).values_list("trace_id", "ts_ms"))
    assert traces == {TRACE: T0 + 10, other: T0 + 30}


def test_urls_entry_url_and_page_count_follow_the_navigation(org_a, post_batch):
    first = [
        *rrweb.page_load(T0, "https://shop.test/"),
        rrweb.navigation(T0 + 1000, "https://shop.test/products/42", previous="https://shop.test/"),
        rrweb.navigation(
            T0 + 1500, "https://shop.test/products/42?tab=reviews", kind="replaceState"
        ),
    ]
    second = [
        rrweb.navigation(T0 + 3000, "https://shop.test/cart"),
        rrweb.navigation(T0 + 4000, "https://shop.test/products/42", kind="popstate"),
        *rrweb.page_load(T0 + 6000, "https://shop.test/checkout"),
    ]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [first, second])

    assert session.entry_url == "https://shop.test/"
    assert session.urls == [
        "https://shop.test/",
        "https://shop.test/products/42",
        "https://shop.test/products/42?tab=reviews",
        "https://shop.test/cart",
        "https://shop.test/checkout",
    ]
    assert session.page_count == 5  # load, push, push, pop, load (not the replaceState)
    assert "https://shop.test/cart" in session.url_text.split("\n")


def test_times_duration_and_active_time_come_from_the_events(org_a, post_batch):
    first = [*rrweb.page_load(T0), *[rrweb.mouse_move(T0 + 1000 + i * 500) for i in range(5)]]
    second = [rrweb.mouse_move(T0 + 60_000), rrweb.click(T0 + 61_000), rrweb.mutation(T0 + 61_200)]
    session = _store(post_batch, org_a, rrweb.new_session_id(), [first, second], ended=True)

    assert session.start_ms == T0
    assert session.end_ms == T0 + 61_200
    assert session.duration_ms == 61_200
    assert session.started_at.timestamp() * 1000 == T0
    assert session.last_seen_at.timestamp() * 1000 == T0 + 61_200
    assert session.ended_at == session.last_seen_at
    assert session.active_ms == 2000 + 1000  # idle minute in between is not active


def test_a_late_batch_with_earlier_events_moves_the_start(org_a, post_batch):
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(T0 + 5000)]))
    post_batch(org_a, rrweb.envelope(sid, 0, rrweb.page_load(T0, "https://shop.test/landing")))
    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.start_ms == T0 and session.duration_ms == 5000
    assert session.entry_url == "https://shop.test/landing"


def test_user_id_and_traits_come_from_identify(org_a, post_batch):
    sid = rrweb.new_session_id()
    first = [*rrweb.page_load(T0), rrweb.identify(T0 + 100, "user-42", {"plan": "pro"})]
    second = [rrweb.click(T0 + 2000)]
    post_batch(org_a, rrweb.envelope(sid, 0, first))
    post_batch(
        org_a,
        rrweb.envelope(sid, 1, second, user={"id": "user-42", "traits": {"company": "Acme"}}),
    )
    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.user_id == "user-42"
    assert session.user_traits == {"plan": "pro", "company": "Acme"}
    assert TimelineMark.objects.filter(session=session, kind="identify").count() == 1


def test_browser_os_and_device_come_from_the_user_agent(org_a, post_batch):
    desktop = _store(post_batch, org_a, rrweb.new_session_id(), [rrweb.page_load(T0)])
    phone = _store(
        post_batch, org_a, rrweb.new_session_id(), [rrweb.page_load(T0)], ua=rrweb.IPHONE_UA
    )
    assert (desktop.browser, desktop.os, desktop.device_type) == ("Chrome", "Linux", "desktop")
    assert desktop.browser_version.startswith("124")
    assert (phone.browser, phone.os, phone.device_type) == ("Mobile Safari", "iOS", "mobile")
    assert phone.device == "iPhone"


def test_viewport_sdk_previous_session_and_storage_counters_are_kept(org_a, post_batch):
    previous = rrweb.new_session_id()
    session = _store(
        post_batch,
        org_a,
        rrweb.new_session_id(),
        [rrweb.page_load(T0), [rrweb.click(T0 + 900)]],
        previous_session_id=previous,
    )
    assert (session.viewport_width, session.viewport_height) == (1280, 720)
    assert session.sdk == "qorrelate-js/0.1.0" and session.privacy_mode == "mask-inputs"
    assert session.previous_session_id == previous
    assert session.batch_count == 2 and session.event_count == 4
    assert session.bytes_stored > 0 and session.raw_bytes > session.bytes_stored / 2
    assert session.sampling_state == "pending" and session.retention_class == "normal"
    assert session.expires_at is None


def test_concurrent_batches_of_one_session_all_count(transactional_db, org_a):
    """Eight threads store batches of the same new session at once: no lost update."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from apps.replay.services import IncomingBatch, batch_store

    sid = rrweb.new_session_id()

    def store(seq):
        try:
            events = [
                rrweb.click(T0 + seq * 100),
                rrweb.console_error(T0 + seq * 100 + 1, f"e{seq}"),
            ]
            return batch_store(
                organization=org_a, incoming=IncomingBatch(session_id=sid, seq=seq, events=events)
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(store, [*range(16), 3, 7]))

    assert sum(r.duplicate for r in results) == 2
    assert sum(r.session_created for r in results) == 1
    session = Session.objects.get(organization=org_a, session_id=sid)
    assert session.batch_count == 16
    assert session.click_count == 16 and session.console_error_count == 16
    assert sorted(session.error_text.split("\n")) == sorted(f"e{i}" for i in range(16))
