"""GET /api/v1/sessions/{id} (metadata, counts, timeline) and /events (streamed, windowed)."""

import gzip

import orjson
import pytest

from apps.replay.models import Session
from apps.replay.services import session_compact
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _batches():
    return [
        [
            *rrweb.page_load(T0, "https://shop.test/"),
            rrweb.identify(T0 + 50, "user-42", {"plan": "pro"}),
            rrweb.click(T0 + 1000),
            rrweb.network(T0 + 1010, url="/api/orders", status=500, trace_id=TRACE),
        ],
        [
            rrweb.navigation(T0 + 5000, "https://shop.test/help"),
            rrweb.uncaught_error(T0 + 6000, "TypeError: total is undefined"),
            rrweb.mouse_move(T0 + 9000),
        ],
        [rrweb.click(T0 + 12_000), rrweb.mutation(T0 + 12_100), rrweb.mouse_move(T0 + 15_000)],
    ]


@pytest.fixture
def recorded(org_a, post_batch):
    sid = rrweb.new_session_id()
    for seq, events in enumerate(_batches()):
        response = post_batch(org_a, rrweb.envelope(sid, seq, events, ended=seq == 2))
        assert response.status_code == 200
    return Session.objects.get(organization=org_a, session_id=sid)


def _streamed(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    body = b"".join(response.streaming_content)
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body


def test_the_detail_has_metadata_counts_and_a_timeline_summary(owner_client, recorded):
    data = owner_client.get(f"/api/v1/sessions/{recorded.session_id}").json()

    assert data["session_id"] == recorded.session_id
    assert data["user_id"] == "user-42" and data["user_traits"] == {"plan": "pro"}
    assert data["entry_url"] == "https://shop.test/"
    assert data["urls"] == ["https://shop.test/", "https://shop.test/help"]
    assert data["duration_ms"] == 15_000 and data["ended_at"] is not None
    assert data["counts"]["failed_requests"] == 1 and data["counts"]["uncaught_errors"] == 1
    assert data["error_count"] == 2 and data["has_errors"] is True
    assert data["browser"] == "Chrome" and data["user_agent"].startswith("Mozilla/5.0")
    assert data["trace_ids"] == [TRACE]
    timeline = data["timeline"]
    kinds = [(m["offset_ms"], m["kind"]) for m in timeline["marks"]]
    assert kinds == [
        (0, "navigation"),
        (50, "identify"),
        (1010, "failed_request"),
        (5000, "navigation"),
        (6000, "error"),
    ]
    assert timeline["pages"] == [
        {"offset_ms": 0, "url": "https://shop.test/"},
        {"offset_ms": 5000, "url": "https://shop.test/help"},
    ]
    assert timeline["storage"]["batches"] == 3 and timeline["storage"]["loose_batches"] == 3


def test_events_stream_as_one_json_array_in_order(owner_client, recorded):
    response = owner_client.get(f"/api/v1/sessions/{recorded.session_id}/events")
    assert response["Content-Type"] == "application/json"
    events = orjson.loads(_streamed(response))
    assert events == [e for batch in _batches() for e in batch]


def test_events_are_the_same_after_compaction(owner_client, org_a, recorded):
    url = f"/api/v1/sessions/{recorded.session_id}/events"
    before = _streamed(owner_client.get(url))
    session_compact(organization=org_a, session=recorded)
    assert _streamed(owner_client.get(url)) == before


def test_a_time_window_returns_the_events_between_start_and_end(owner_client, recorded):
    response = owner_client.get(
        f"/api/v1/sessions/{recorded.session_id}/events", {"start": 1000, "end": 9000}
    )
    stamps = [e["timestamp"] - T0 for e in orjson.loads(_streamed(response))]
    assert stamps == [1000, 1010, 5000, 6000]


def test_an_empty_window_is_an_empty_array(owner_client, recorded):
    response = owner_client.get(
        f"/api/v1/sessions/{recorded.session_id}/events", {"start": 100_000}
    )
    assert orjson.loads(_streamed(response)) == []


def test_events_are_gzipped_for_clients_that_accept_it(owner_client, recorded):
    response = owner_client.get(
        f"/api/v1/sessions/{recorded.session_id}/events", HTTP_ACCEPT_ENCODING="gzip, br"
    )
    assert response["Content-Encoding"] == "gzip"
    assert orjson.loads(_streamed(response)) == [e for batch in _batches() for e in batch]


@pytest.mark.parametrize(
    "query", [{"start": "abc"}, {"start": -5}, {"start": 5000, "end": 5000}, {"end": "1.5"}]
)
def test_a_bad_window_is_a_400(owner_client, recorded, query):
    response = owner_client.get(f"/api/v1/sessions/{recorded.session_id}/events", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("path", ["", "/events"])
def test_an_unknown_session_is_a_404(owner_client, recorded, path):
    for sid in (rrweb.new_session_id(), "short", "a" * 65):
        response = owner_client.get(f"/api/v1/sessions/{sid}{path}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_snapshot_starts_a_window_at_the_last_full_snapshot_before_it(
    owner_client, org_a, post_batch
):
    sid = rrweb.new_session_id()
    batches = [
        [*rrweb.page_load(T0), rrweb.click(T0 + 1000)],
        [rrweb.mouse_move(T0 + 5000)],
        [*rrweb.page_load(T0 + 10_000, "https://shop.test/cart"), rrweb.click(T0 + 11_000)],
        [rrweb.mutation(T0 + 15_000), rrweb.click(T0 + 16_000)],
    ]
    for seq, events in enumerate(batches):
        post_batch(org_a, rrweb.envelope(sid, seq, events))
    url = f"/api/v1/sessions/{sid}/events"

    plain = orjson.loads(_streamed(owner_client.get(url, {"start": 15_000})))
    seeked = orjson.loads(_streamed(owner_client.get(url, {"start": 15_000, "snapshot": "true"})))

    assert [e["timestamp"] - T0 for e in plain] == [15_000, 16_000]
    # From the second page load's meta event (10,001) and snapshot on, nothing earlier.
    assert [e["timestamp"] - T0 for e in seeked] == [10_001, 10_002, 11_000, 15_000, 16_000]
    assert [e["type"] for e in seeked[:2]] == [4, 2]
    first = orjson.loads(_streamed(owner_client.get(url, {"start": 3000, "snapshot": "1"})))
    assert first[0]["timestamp"] == T0 + 1 and first[0]["type"] == 4
