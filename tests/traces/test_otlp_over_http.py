"""The intake's body handling under gunicorn, at the real 20 MiB limit: gzip, chunked transfer,
oversized bodies and gzip bombs over a real socket."""

import gzip
import json
import zlib

import pytest
import requests
from google.rpc.status_pb2 import Status

from apps.traces.models import Span
from tests.traces.otlp import JSON, PROTOBUF, span, traces_request

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

LIMIT = 20 * 1024 * 1024


@pytest.fixture
def post(live_qorrelate, org_a, ingest_key):
    key = ingest_key(org_a)

    def send(body, *, content_type=PROTOBUF, headers=None):
        all_headers = {"Content-Type": content_type, "X-Qorrelate-Ingest-Key": key}
        all_headers.update(headers or {})
        return requests.post(
            live_qorrelate.url + "/v1/traces", data=body, headers=all_headers, timeout=60
        )

    return send


def test_a_gzip_protobuf_body_is_stored(post, org_a):
    body = gzip.compress(traces_request([span(), span()]).SerializeToString())

    response = post(body, headers={"Content-Encoding": "gzip"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == PROTOBUF
    assert Span.objects.filter(organization=org_a).count() == 2


def test_a_chunked_body_without_content_length_is_read(post, org_a):
    payload = traces_request([span(name="chunked")]).SerializeToString()

    response = post(iter([payload[:10], payload[10:]]))  # a generator: Transfer-Encoding: chunked

    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 200
    assert Span.objects.get(organization=org_a).name == "chunked"


def test_a_body_over_20_mib_is_refused_with_413(post):
    response = post(b"\x0a" * (LIMIT + 1))

    assert response.status_code == 413
    assert "over the 20 MiB" in Status.FromString(response.content).message
    assert Span.objects.count() == 0


def test_a_gzip_bomb_is_refused_with_413_without_inflating_it(post):
    # 200 MiB of zeros compress to ~200 KiB; the server stops inflating at 20 MiB.
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\x00" * (1024 * 1024)
    bomb = b"".join(deflate.compress(chunk) for _ in range(200)) + deflate.flush()
    assert len(bomb) < 1024 * 1024

    response = post(bomb, headers={"Content-Encoding": "gzip"})

    assert response.status_code == 413


def test_a_json_error_reply_is_json_over_http(post):
    response = post(b"{broken", content_type=JSON)

    assert response.status_code == 400
    assert response.headers["Content-Type"] == JSON
    assert json.loads(response.content)["error"]["code"] == "undecodable"
