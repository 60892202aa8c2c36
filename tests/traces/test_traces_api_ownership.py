"""Every traces API URL: org A's people see org A's data; nobody else sees it at all."""

import pytest
from rest_framework.test import APIClient

from tests.traces.otlp import log_record, new_trace_id, span

pytestmark = pytest.mark.django_db

SESSION = "9d3c8f60-2222-4b4b-8c8c-abcdefabcdef"


@pytest.fixture
def org_a_data(org_a, org_a_ingest_key, send_spans, send_logs, replay_session):
    replay_session(org_a, SESSION, 1_700_000_000_000)
    trace_id = new_trace_id()
    send_spans(org_a_ingest_key, [span(trace_id=trace_id, attributes={"session.id": SESSION})])
    send_logs(org_a_ingest_key, [log_record(attributes={"session.id": SESSION})])
    return trace_id


def _urls(trace_id):
    return {
        "session traces": f"/api/v1/sessions/{SESSION}/traces",
        "session logs": f"/api/v1/sessions/{SESSION}/logs",
        "trace": f"/api/v1/traces/{trace_id}",
        "spans": f"/api/v1/spans?attr[session.id]={SESSION}",
    }


def _found_something(response) -> bool:
    body = response.json()
    if "results" in body:
        return bool(body["results"])
    return bool(body.get("traces", True))


@pytest.mark.parametrize("who", ["owner_client", "member_client", "viewer_client"])
def test_members_of_every_role_read_every_url(request, org_a_data, who):
    client = request.getfixturevalue(who)
    for name, url in _urls(org_a_data).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert _found_something(response), name


def test_a_read_api_key_reads_every_url(org_a, org_a_data, api_key_client):
    client = api_key_client(org_a, scope="read")
    for name, url in _urls(org_a_data).items():
        assert client.get(url).status_code == 200, name


def _assert_sees_nothing(client, trace_id, **extra):
    for name, url in _urls(trace_id).items():
        response = client.get(url, **extra)
        if name == "spans" and response.status_code == 200:
            assert response.json()["results"] == [], "another organization's spans leaked"
        else:
            assert response.status_code == 404, f"{name}: {response.status_code}"
            assert "error" in response.json()


def test_an_outsider_sees_nothing_of_another_organization(outsider_client, org_a_data):
    _assert_sees_nothing(outsider_client, org_a_data)


def test_an_outsider_cannot_select_another_organization(outsider_client, org_a, org_a_data):
    for url in _urls(org_a_data).values():
        response = outsider_client.get(url, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug)
        assert response.status_code == 404


def test_another_organizations_api_key_sees_nothing(org_b, org_a_data, api_key_client):
    _assert_sees_nothing(api_key_client(org_b, scope="write"), org_a_data)


def test_data_sent_with_org_bs_key_is_invisible_to_org_a(
    owner_client, org_b, ingest_key, send_spans, api_key_client
):
    trace_id = new_trace_id()
    send_spans(ingest_key(org_b), [span(trace_id=trace_id, attributes={"session.id": SESSION})])

    assert owner_client.get(f"/api/v1/traces/{trace_id}").status_code == 404
    assert owner_client.get(f"/api/v1/sessions/{SESSION}/traces").status_code == 404
    assert api_key_client(org_b).get(f"/api/v1/traces/{trace_id}").status_code == 200


def test_anonymous_callers_get_401(org_a_data):
    for name, url in _urls(org_a_data).items():
        assert APIClient().get(url).status_code == 401, name


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_through_these_urls(viewer_client, member_client, org_a_data, method):
    for url in _urls(org_a_data).values():
        assert getattr(viewer_client, method)(url, {}, format="json").status_code == 403
        assert getattr(member_client, method)(url, {}, format="json").status_code == 405
