"""Captured HTTP headers in OTLP attributes (``http.request.header.<name>``, as OpenTelemetry's
HTTP conventions and its instrumentations' header capture write them): the values of the
always-denied headers and of the organization's own deny list are stored as ``[redacted]``,
in spans (their resource, events and links too) and log records, as the replay intake does for
network details. Other headers, and other organizations' lists, are left alone."""

import pytest

from apps.privacy.network_headers import network_header_denylist_set
from apps.traces.models import LogRecord, Span
from tests.traces.otlp import log_record, logs_request, span, traces_request

pytestmark = pytest.mark.django_db

HEADERS = {
    "http.request.header.authorization": ["Bearer tok_live_1"],
    "http.request.header.cookie": ["sid=abc"],
    "http.response.header.set_cookie": ["sid=def"],  # Python's instrumentations write _ for -
    "http.request.header.x-api-key": ["k-123"],
    "http.request.header.x-tenant-secret": ["t-456"],  # the organization's own list
    "http.request.header.x_tenant_secret": ["t-789"],
    "http.request.header.accept": ["application/json"],
}
REDACTED = "[redacted]"
DENIED = [key for key in HEADERS if "accept" not in key]


def test_denied_headers_in_span_attributes_are_stored_redacted(post_otlp, org_a, org_a_ingest_key):
    network_header_denylist_set(organization=org_a, headers=["X-Tenant-Secret"])
    pb = span(name="GET /cart", attributes=HEADERS)
    pb.events.add(name="retry").attributes.add(
        key="http.request.header.authorization"
    ).value.string_value = "Bearer tok_live_2"
    request = traces_request([pb], resource={"http.request.header.cookie": "sid=res"})

    assert post_otlp("/v1/traces", request, key=org_a_ingest_key).status_code == 200

    stored = Span.objects.get(organization=org_a)
    assert {key: stored.attributes[key] for key in DENIED} == dict.fromkeys(DENIED, REDACTED)
    assert stored.attributes["http.request.header.accept"] == ["application/json"]
    assert stored.resource_attributes["http.request.header.cookie"] == REDACTED
    assert stored.events[0]["attributes"] == {"http.request.header.authorization": REDACTED}
    for secret in ("tok_live", "sid=", "k-123", "t-456", "t-789"):
        assert secret not in str(stored.attributes) + str(stored.resource_attributes)
        assert secret not in str(stored.events)


def test_denied_headers_in_log_attributes_are_stored_redacted(post_otlp, org_a, org_a_ingest_key):
    network_header_denylist_set(organization=org_a, headers=["x-tenant-secret"])
    request = logs_request([log_record(body="request done", attributes=HEADERS)])

    assert post_otlp("/v1/logs", request, key=org_a_ingest_key).status_code == 200

    stored = LogRecord.objects.get(organization=org_a)
    assert {key: stored.attributes[key] for key in DENIED} == dict.fromkeys(DENIED, REDACTED)
    assert stored.attributes["http.request.header.accept"] == ["application/json"]


def test_another_organizations_list_does_not_apply(post_otlp, org_a, org_b, ingest_key):
    network_header_denylist_set(organization=org_a, headers=["x-tenant-secret"])
    request = traces_request([span(attributes={"http.request.header.x-tenant-secret": ["t-1"]})])

    assert post_otlp("/v1/traces", request, key=ingest_key(org_b)).status_code == 200

    stored = Span.objects.get(organization=org_b)
    assert stored.attributes["http.request.header.x-tenant-secret"] == ["t-1"]
