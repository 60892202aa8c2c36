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


@pytest.fixture
def send_spans(post_otlp):
    """``send_spans(key, [span…], service=…, resource=…)`` through POST /v1/traces."""
    from tests.traces.otlp import traces_request

    def send(key, spans, **kwargs):
        response = post_otlp("/v1/traces", traces_request(spans, **kwargs), key=key)
        assert response.status_code == 200, response.content
        return response

    return send


@pytest.fixture
def send_logs(post_otlp):
    from tests.traces.otlp import logs_request

    def send(key, records, **kwargs):
        response = post_otlp("/v1/logs", logs_request(records, **kwargs), key=key)
        assert response.status_code == 200, response.content
        return response

    return send


@pytest.fixture
def replay_session():
    """``replay_session(org, session_id, start_ms)`` → a recorded session (replay's model)."""
    from datetime import UTC, datetime

    from apps.replay.models import Session

    def make(organization, session_id, start_ms):
        started = datetime.fromtimestamp(start_ms / 1000, tz=UTC)
        return Session.objects.create(
            organization=organization,
            session_id=session_id,
            started_at=started,
            last_seen_at=started,
            start_ms=start_ms,
            end_ms=start_ms + 60_000,
        )

    return make
