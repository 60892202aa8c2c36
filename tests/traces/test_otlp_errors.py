"""What the OTLP intake refuses, with which status, and in which encoding."""

import gzip
import json

import pytest
from django.db import OperationalError
from google.rpc.status_pb2 import Status

from apps.billing.quota import QuotaExceeded
from apps.orgs.services import key_create, key_revoke
from apps.traces.models import LogRecord, Span
from tests.traces.otlp import JSON, PROTOBUF, log_record, logs_request, span, traces_request

pytestmark = pytest.mark.django_db


def _status(response) -> Status:
    assert response["Content-Type"] == PROTOBUF
    return Status.FromString(response.content)


def test_a_request_without_a_key_gets_401_with_a_protobuf_status(post_otlp):
    response = post_otlp("/v1/traces", traces_request([span()]))

    assert response.status_code == 401
    assert "ingest key" in _status(response).message
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Span.objects.count() == 0


@pytest.mark.parametrize(
    "key",
    [
        "qor_ingest_00000000_" + "0" * 48,  # well-formed, unknown
        "not-a-key",  # malformed
        "",  # empty bearer
    ],
)
def test_a_wrong_or_malformed_key_gets_401(post_otlp, key):
    response = post_otlp(
        "/v1/traces", traces_request([span()]), headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 401
    assert Span.objects.count() == 0


def test_a_revoked_key_gets_401(post_otlp, org_a):
    key, raw = key_create(organization=org_a, kind="ingest", name="old", created_by=None)
    key_revoke(organization=org_a, key_id=key.pk)

    response = post_otlp("/v1/logs", logs_request([log_record()]), key=raw)

    assert response.status_code == 401
    assert "revoked" in _status(response).message
    assert LogRecord.objects.count() == 0


def test_an_api_key_is_not_an_ingest_key(post_otlp, org_a):
    _key, raw = key_create(organization=org_a, kind="api", name="rest", created_by=None)

    assert post_otlp("/v1/traces", traces_request([span()]), key=raw).status_code == 401


def test_a_json_request_gets_its_error_as_json(post_otlp):
    response = post_otlp("/v1/traces", "{}", content_type=JSON, headers={"X-Other": "1"})

    assert response.status_code == 401
    assert response["Content-Type"] == JSON
    body = response.json()
    assert body["code"] == 16  # google.rpc.Code.UNAUTHENTICATED
    assert body["error"]["code"] == "missing_key"
    assert body["message"] == body["error"]["message"]


def test_data_sent_with_another_organizations_key_lands_in_that_organization(
    post_otlp, org_a, org_b, ingest_key
):
    response = post_otlp("/v1/traces", traces_request([span()]), key=ingest_key(org_b))

    assert response.status_code == 200
    assert Span.objects.filter(organization=org_b).count() == 1
    assert Span.objects.filter(organization=org_a).count() == 0


def test_garbage_protobuf_gets_400_and_stores_nothing(post_otlp, org_a_ingest_key):
    response = post_otlp("/v1/traces", b"\xff\xff\xff\xff garbage", key=org_a_ingest_key)

    assert response.status_code == 400
    assert "protobuf" in _status(response).message
    assert Span.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '{"resourceSpans": "nope"}'])
def test_undecodable_json_gets_400_as_json(post_otlp, org_a_ingest_key, body):
    response = post_otlp("/v1/traces", body, key=org_a_ingest_key, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "undecodable"


def test_a_corrupt_gzip_body_gets_400(post_otlp, org_a_ingest_key):
    body = gzip.compress(traces_request([span()]).SerializeToString())[:-6]

    response = post_otlp(
        "/v1/traces", body, key=org_a_ingest_key, headers={"Content-Encoding": "gzip"}
    )

    assert response.status_code == 400
    assert Span.objects.count() == 0


def test_a_wrong_content_type_gets_415(post_otlp, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces", b"a=b", key=org_a_ingest_key, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_an_unsupported_content_encoding_gets_415(post_otlp, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces",
        traces_request([span()]),
        key=org_a_ingest_key,
        headers={"Content-Encoding": "br"},
    )

    assert response.status_code == 415


def test_get_is_not_allowed(client):
    response = client.get("/v1/traces")

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_body_over_the_limit_gets_413(post_otlp, org_a_ingest_key, settings):
    settings.OTLP_MAX_BODY_BYTES = 1000
    big = traces_request([span(attributes={"blob": "x" * 2000})])

    response = post_otlp("/v1/traces", big, key=org_a_ingest_key)

    assert response.status_code == 413
    assert Span.objects.count() == 0


def test_a_gzip_bomb_is_cut_off_at_the_limit(post_otlp, org_a_ingest_key, settings):
    settings.OTLP_MAX_BODY_BYTES = 1024 * 1024
    bomb = gzip.compress(b"\x00" * (64 * 1024 * 1024))  # 64 MiB of zeros in ~64 KiB
    assert len(bomb) < settings.OTLP_MAX_BODY_BYTES

    response = post_otlp(
        "/v1/traces", bomb, key=org_a_ingest_key, headers={"Content-Encoding": "gzip"}
    )

    assert response.status_code == 413


def test_a_throttled_organization_gets_429_with_retry_after(post_otlp, org_a_ingest_key, settings):
    settings.OTLP_REQUESTS_PER_MINUTE = 2
    statuses = [
        post_otlp("/v1/traces", traces_request([span()]), key=org_a_ingest_key).status_code
        for _ in range(3)
    ]

    response = post_otlp("/v1/traces", traces_request([span()]), key=org_a_ingest_key)

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Span.objects.count() == 2


def test_over_quota_gets_429_with_retry_after_and_stores_nothing(
    post_otlp, org_a_ingest_key, monkeypatch
):
    def refuse(*, organization, signal, count):
        raise QuotaExceeded(
            "telemetry_quota_exceeded", 3600, message="The Free plan's spans are used up."
        )

    monkeypatch.setattr("apps.billing.quota.admit_telemetry", refuse)

    response = post_otlp(
        "/v1/traces", json.dumps({"resourceSpans": []}), key=org_a_ingest_key, content_type=JSON
    )
    assert response.status_code == 200  # nothing to admit

    response = post_otlp("/v1/traces", traces_request([span()]), key=org_a_ingest_key)

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "used up" in _status(response).message
    assert Span.objects.count() == 0


def test_storage_failure_gets_503_with_retry_after(post_otlp, org_a_ingest_key, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr("apps.traces.storage.write_spans", broken)

    response = post_otlp("/v1/traces", traces_request([span()]), key=org_a_ingest_key)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_an_unexpected_failure_is_503_never_500(post_otlp, org_a_ingest_key, monkeypatch):
    def bug(message):
        raise RuntimeError("bug")

    monkeypatch.setattr("apps.ingestion.otlp.spans.attributes", bug)

    response = post_otlp("/v1/traces", traces_request([span()]), key=org_a_ingest_key)

    assert response.status_code == 503
    assert "Retry-After" in response
