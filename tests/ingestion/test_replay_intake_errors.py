"""Bad input gets a clear JSON 4xx and stores nothing; the intake never answers 500."""

import gzip
import io
import zlib

import orjson
import pytest

from apps.replay.models import Batch, Session
from tests.replay import rrweb
from tests.replay.fixtures import INTAKE, stored_keys

pytestmark = pytest.mark.django_db

SID = "0b7c7a4e-4f7e-4d6a-9d55-1f6f0f0b7c7a"


def _valid(**changes):
    body = rrweb.envelope(SID, 0, rrweb.page_load(rrweb.T0))
    body.update(changes)
    return body


def _without(name):
    body = _valid()
    del body[name]
    return body


def _assert_refused(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert Session.objects.count() == 0
    assert Batch.objects.count() == 0
    assert stored_keys() == []


BAD_BODIES = [
    ("malformed JSON", b'{"session_id": "x", "seq": 0,', 400, "invalid_json"),
    ("invalid UTF-8", b'{"session_id": "\xff\xfe", "seq": 0, "events": []}', 400, "invalid_utf8"),
    ("a JSON array", b"[1, 2, 3]", 400, "invalid_batch"),
    ("a lone surrogate", b'{"session_id": "\\ud800", "seq": 0}', 400, "invalid_json"),
    ("no session id", _without("session_id"), 400, "missing_session_id"),
    ("a null session id", _valid(session_id=None), 400, "missing_session_id"),
    ("a path in the session id", _valid(session_id="../../etc/passwd"), 400, "invalid_session_id"),
    ("a numeric session id", _valid(session_id=12345678), 400, "invalid_session_id"),
    # `$` matches before a final newline: the id would end a blob key and a URL with one.
    ("a newline after the session id", _valid(session_id="s-1234567\n"), 400, "invalid_session_id"),
    ("a newline after the window id", _valid(window_id="w-12345678\n"), 400, "invalid_window_id"),
    (
        "a newline after the previous session id",
        _valid(previous_session_id="s-00000001\n"),
        400,
        "invalid_previous_session_id",
    ),
    ("no seq", _without("seq"), 400, "missing_seq"),
    ("seq as a string", _valid(seq="3"), 400, "invalid_seq"),
    ("seq as a float", _valid(seq=1.5), 400, "invalid_seq"),
    ("seq as a boolean", _valid(seq=True), 400, "invalid_seq"),
    ("a negative seq", _valid(seq=-1), 400, "invalid_seq"),
    ("a huge seq", _valid(seq=10**12), 400, "invalid_seq"),
    ("events not a list", _valid(events={"type": 2}), 400, "invalid_events"),
    ("an event that is a string", _valid(events=["click"]), 400, "invalid_event"),
    ("an event without a type", _valid(events=[{"timestamp": rrweb.T0}]), 400, "invalid_event"),
    (
        "an event without a timestamp",
        _valid(events=[{"type": 3, "data": {}}]),
        400,
        "invalid_event",
    ),
    (
        "a timestamp in seconds",
        _valid(events=[{"type": 3, "timestamp": 1732390000}]),
        400,
        "invalid_event",
    ),
    (
        "a bad previous session id",
        _valid(previous_session_id="a b"),
        400,
        "invalid_previous_session_id",
    ),
    ("ended not a boolean", _valid(ended="yes"), 400, "invalid_ended"),
    ("page not an object", _valid(page="https://x"), 400, "invalid_page"),
    ("user not an object", _valid(user="bob"), 400, "invalid_user"),
    ("another organization in the body", _valid(org="org_someoneelse"), 400, "org_mismatch"),
]


@pytest.mark.parametrize(
    "body,status,code", [case[1:] for case in BAD_BODIES], ids=[case[0] for case in BAD_BODIES]
)
@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_a_malformed_batch_is_refused_with_a_clear_error(
    org_a, post_batch, body, status, code, compressed
):
    _assert_refused(post_batch(org_a, body, gzip=compressed), status, code)


def test_a_request_without_org_is_refused(org_a, post_batch):
    _assert_refused(post_batch(org_a, _valid(), query=""), 400, "missing_org")


def test_an_unknown_organization_is_refused(org_a, post_batch):
    _assert_refused(
        post_batch(org_a, _valid(), query="?org=org_0000000000000000"), 404, "unknown_organization"
    )


@pytest.mark.parametrize("content_type", ["application/xml", "multipart/form-data; boundary=x", ""])
def test_a_wrong_content_type_is_refused(org_a, post_batch, content_type):
    _assert_refused(
        post_batch(org_a, _valid(), content_type=content_type), 415, "unsupported_media_type"
    )


def test_an_unsupported_content_encoding_is_refused(org_a, post_batch):
    response = post_batch(org_a, _valid(), gzip=False, headers={"Content-Encoding": "br"})
    _assert_refused(response, 415, "unsupported_encoding")


def test_gzip_declared_but_not_sent_is_refused(org_a, post_batch):
    response = post_batch(org_a, _valid(), gzip=False, headers={"Content-Encoding": "gzip"})
    _assert_refused(response, 400, "invalid_gzip")


def test_a_corrupt_gzip_body_is_refused(org_a, post_batch):
    body = gzip.compress(orjson.dumps(_valid()))
    corrupt = body[:20] + bytes(b ^ 0x5A for b in body[20:40]) + body[40:]
    response = post_batch(org_a, corrupt, gzip=False)
    _assert_refused(response, 400, "invalid_gzip")


def test_a_truncated_gzip_body_is_refused(org_a, post_batch):
    body = gzip.compress(orjson.dumps(_valid()))
    _assert_refused(post_batch(org_a, body[: len(body) // 2], gzip=False), 400, "invalid_gzip")


def test_an_empty_body_is_refused(org_a, client):
    response = client.generic(
        "POST",
        f"{INTAKE}?org={org_a.public_id}",
        data=b"",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH="0",
    )
    _assert_refused(response, 400, "empty_body")


def test_get_is_not_a_way_to_send_batches(org_a, client):
    response = client.get(f"{INTAKE}?org={org_a.public_id}")
    _assert_refused(response, 405, "method_not_allowed")


def test_a_body_over_10_mib_is_refused_by_its_content_length_before_it_is_read(org_a, post_batch):
    body = b"x" * (10 * 1024 * 1024 + 1)
    _assert_refused(post_batch(org_a, body, gzip=False), 413, "payload_too_large")


def test_a_body_of_exactly_10_mib_is_read(org_a, post_batch):
    base = len(orjson.dumps(_valid(padding="")))
    payload = orjson.dumps(_valid(padding="y" * (10 * 1024 * 1024 - base)))
    assert len(payload) == 10 * 1024 * 1024
    response = post_batch(org_a, payload, gzip=False)
    assert response.status_code == 200, response.content


def test_an_over_long_body_is_cut_off_even_if_content_length_lies(org_a, rf):
    from apps.ingestion.pipeline.body import read_body
    from apps.ingestion.pipeline.errors import IntakeError
    from apps.ingestion.pipeline.limits import replay_limits

    # A server that passes more than Content-Length through (or a chunked body it counted
    # wrong): the read itself stops one byte past the limit.
    request = rf.post("/", data=b"z", content_type="application/json")
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    request._stream = io.BytesIO(b"z" * (11 * 1024 * 1024))
    with pytest.raises(IntakeError) as refused:
        read_body(request, limits=replay_limits(), noun="batches")
    assert refused.value.status == 413


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """1 GiB of zeros in about 1 MiB of gzip."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(1024)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_a_decompression_bomb_is_cut_at_100_mib_with_413_and_no_memory_spike(
    org_a, post_batch, gzip_bomb
):
    import tracemalloc

    assert len(gzip_bomb) < 10 * 1024 * 1024
    tracemalloc.start()
    try:
        response = post_batch(org_a, gzip_bomb, gzip=False)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _assert_refused(response, 413, "payload_too_large")
    assert "decompressed" in response.json()["error"]["message"]
    # The limit itself (100 MiB) plus the compressed body and small change, never the 1 GiB.
    assert peak < 120 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def test_strange_but_valid_event_contents_are_stored_not_crashed_on(org_a, post_batch):
    weird = [
        {"type": 3, "timestamp": rrweb.T0, "data": None},
        {"type": 3, "timestamp": rrweb.T0 + 1, "data": {"source": 2, "type": 2, "x": "a"}},
        {"type": 5, "timestamp": rrweb.T0 + 2, "data": {"tag": "qorrelate.network", "payload": 7}},
        {
            "type": 5,
            "timestamp": rrweb.T0 + 3,
            "data": {"tag": "qorrelate.network", "payload": {"status": "500", "trace_id": 5}},
        },
        {
            "type": 5,
            "timestamp": rrweb.T0 + 4,
            "data": {"tag": "qorrelate.error", "payload": {"message": {"a": 1}}},
        },
        {
            "type": 5,
            "timestamp": rrweb.T0 + 5,
            "data": {"tag": "qorrelate.identify", "payload": {"user_id": True}},
        },
        {
            "type": 4,
            "timestamp": rrweb.T0 + 6,
            "data": {"href": ["x"], "width": -5, "height": 1e300},
        },
        {"type": 2, "timestamp": rrweb.T0 + 7, "data": {"node": {"type": 2, "childNodes": "no"}}},
        {
            "type": 3,
            "timestamp": rrweb.T0 + 8.5,
            "data": {"source": 0, "adds": [None, 3, {"node": []}]},
        },
        {
            "type": 5,
            "timestamp": rrweb.T0 + 9,
            "data": {
                "tag": "qorrelate.console",
                "payload": {"level": "error", "message": "nul\x00byte"},
            },
        },
        {"type": 99, "timestamp": rrweb.T0 + 10},
    ]
    body = _valid(
        events=weird,
        user={"id": "u\x00ser", "traits": {"k\x00": "v\x00", "deep": {"a": {"b": {"c": 1}}}}},
        page={"url": "https://x.test/\x00"},
    )
    response = post_batch(org_a, body)
    assert response.status_code == 200, response.content
    session = Session.objects.get(organization=org_a)
    assert session.event_count == len(weird)
    assert session.user_id == "user"
    assert "nulbyte" in session.error_text


def test_an_event_nested_too_deeply_to_store_is_a_final_400_and_nothing_is_stored(
    post_batch, org_a
):
    # orjson parses 1,024 levels but writes 255: such a batch can never be stored, so the
    # recorder must be told to stop (a 400), not to retry (a 503).
    import json

    node = {"leaf": 1}
    for _ in range(600):
        node = {"n": node}
    sid = rrweb.new_session_id()
    events = [*rrweb.page_load(rrweb.T0), rrweb.custom(rrweb.T0 + 5, "qorrelate.event", node)]
    body = json.dumps(rrweb.envelope(sid, 0, events)).encode()
    response = post_batch(org_a, body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "unstorable"
    assert not Session.objects.filter(organization=org_a, session_id=sid).exists()
