"""Every API error is JSON, 500s included (with the request id); input that used to reach the
database as a 500 — time-zone offsets out of range, NUL bytes — is a 400; every operation
accepts only the query parameters its schema documents."""

import pytest
from django.urls import path

from apps.orgs.api.base import OrganizationAPIView

pytestmark = pytest.mark.django_db


def _error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/sessions?started_after=2026-01-01T00:00:00%2B23:59",
        "/api/v1/sessions?started_before=2026-01-01T00:00:00-20:00",
        "/api/v1/tickets?created_after=2026-01-01T00:00:00%2B23:59",
        "/api/v1/spans?start=2026-01-01T00:00:00%2B23:59",
    ],
)
def test_a_time_zone_offset_out_of_range_is_a_400(api_key_client, org_a, url):
    error = _error(api_key_client(org_a).get(url), 400)
    assert "-14:00 and +14:00" in error["message"]


def test_a_real_time_zone_offset_is_accepted(api_key_client, org_a):
    client = api_key_client(org_a)
    assert (
        client.get("/api/v1/sessions?started_after=2026-01-01T00:00:00%2B14:00").status_code == 200
    )
    assert client.get("/api/v1/tickets?created_after=2026-01-01T00:00:00-12:00").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tickets?session_id=a%00b",
        "/api/v1/tickets?q=a%00b",
        "/api/v1/tickets?reporter=a%00b",
        "/api/v1/spans?name=a%00b",
        "/api/v1/spans?attr[session.id]=a%00b",
        "/api/v1/spans?attr[a%00b]=x",
        "/api/v1/privacy/findings?session_id=a%00b",
        "/api/v1/sessions?user_id=a%00b",
        "/api/v1/traces/ab%00cd",
    ],
)
def test_a_nul_byte_in_a_query_parameter_or_path_is_a_400(api_key_client, org_a, url):
    error = _error(api_key_client(org_a).get(url), 400)
    assert "NUL" in error["message"]


def test_a_nul_byte_in_a_json_body_is_a_400_and_stores_nothing(api_key_client, org_a):
    from apps.tickets.models import Ticket

    client = api_key_client(org_a, scope="write")
    response = client.post("/api/v1/tickets", {"subject": "broken\x00cart"}, format="json")
    assert "NUL" in _error(response, 400)["message"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/api/v1/spans?session=abc", ["attr[…]", "name", "trace_id"]),
        ("/api/v1/sessions?has_error=true", ["has_errors", "ordering", "cursor", "limit"]),
        ("/api/v1/tickets?state=open", ["status", "open", "q"]),
        ("/api/v1/members?role=owner", ["cursor", "limit"]),
        ("/api/v1/organization?verbose=1", ["org"]),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_the_allowed_ones(
    api_key_client, org_a, url, allowed
):
    error = _error(api_key_client(org_a).get(url), 400)
    assert "Unknown query parameter" in error["message"]
    for name in allowed:
        assert name in error["message"], (name, error["message"])


def test_the_accepted_parameters_are_the_documented_ones(api_key_client, org_a, client):
    schema = client.get("/api/schema/?format=json").json()
    documented = {p["name"] for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert {"user_id", "started_after", "ordering", "cursor", "limit"} <= documented
    key = api_key_client(org_a)
    for name in documented:
        response = key.get(f"/api/v1/sessions?{name}=")
        assert response.status_code != 400 or "Unknown" not in response.json()["error"]["message"]


def test_every_operation_documents_its_json_errors_and_429_with_retry_after(client):
    schema = client.get("/api/schema/?format=json").json()
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "401", "403", "404", "429"} <= set(responses), (route, method)
            assert "Retry-After" in responses["429"]["headers"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]


class _Broken(OrganizationAPIView):
    def get(self, request, **kwargs):
        raise RuntimeError("a bug")


urlpatterns = [path("api/v1/broken", _Broken.as_view())]


@pytest.mark.urls(__name__)
def test_an_unexpected_error_is_a_json_500_with_the_request_id(api_key_client, org_a):
    response = api_key_client(org_a).get("/api/v1/broken", HTTP_X_REQUEST_ID="req-1234")
    error = _error(response, 500)
    assert error["code"] == "server_error"
    assert error["request_id"] == "req-1234" == response["X-Request-ID"]
    assert "req-1234" in error["message"]


def test_an_unknown_api_url_is_a_json_404(api_key_client, org_a):
    assert _error(api_key_client(org_a).get("/api/v1/no-such-thing"), 404)["code"] == "not_found"
