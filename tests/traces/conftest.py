import pytest

from tests.traces.otlp import PROTOBUF


@pytest.fixture
def org_a_ingest_key(org_a, ingest_key):
    return ingest_key(org_a)


@pytest.fixture
def post_otlp(client):
    """``post_otlp(path, body, key=…, content_type=…, headers=…)`` through the Django stack."""

    def post(path, body, *, key=None, content_type=PROTOBUF, headers=None):
        all_headers = {}
        if key is not None:
            all_headers["Authorization"] = f"Bearer {key}"
        all_headers.update(headers or {})
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes | bytearray):
            body = body.SerializeToString()
        return client.generic(
            "POST", path, data=bytes(body), content_type=content_type, headers=all_headers
        )

    return post
