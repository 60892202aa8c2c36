"""Every tickets endpoint for each person: alice (owner) and bob (member) read and write,
vera (viewer) only reads, charlie (another organization) and org B's API keys get 404."""

import pytest

from .factories import make_span

pytestmark = pytest.mark.django_db

TRACE = "0af7651916cd43dd8448eb211c80319c"


@pytest.fixture
def world(org_a, alice, bob, vera, charlie, make_ticket, make_session):
    ticket = make_ticket(org_a, reporter_user_id="u-1")
    session = make_session(org_a, user_id="u-1")
    spare = make_session(org_a)
    make_span(org_a, TRACE)
    return {"ticket": ticket, "session": session, "spare": spare}


def _endpoints(world):
    t, sid, spare = world["ticket"].pk, world["session"].session_id, world["spare"].session_id
    return [
        ("get", "/api/v1/tickets", None, 200),
        ("post", "/api/v1/tickets", {"source": "generic", "external_id": "n-1"}, 201),
        ("get", f"/api/v1/tickets/{t}", None, 200),
        ("patch", f"/api/v1/tickets/{t}", {"subject": "Edited"}, 200),
        ("post", f"/api/v1/tickets/{t}/close", {}, 200),
        ("post", f"/api/v1/tickets/{t}/reopen", {}, 200),
        ("post", "/api/v1/tickets/upsert", {"source": "jira", "external_id": "J-1"}, 201),
        ("get", f"/api/v1/tickets/{t}/sessions", None, 200),
        ("post", f"/api/v1/tickets/{t}/sessions", {"session_id": spare}, 201),
        ("delete", f"/api/v1/tickets/{t}/sessions", {"session_id": spare}, 204),
        ("get", f"/api/v1/tickets/{t}/traces", None, 200),
        ("post", f"/api/v1/tickets/{t}/traces", {"trace_id": TRACE}, 201),
        ("delete", f"/api/v1/tickets/{t}/traces", {"trace_id": TRACE}, 204),
        ("get", f"/api/v1/tickets/{t}/reporter-sessions?hours=24", None, 200),
        ("get", f"/api/v1/sessions/{sid}/tickets", None, 200),
    ]


def _call(client, method, url, body, **headers):
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, body, format="json", **headers)


@pytest.mark.parametrize("who", ["owner_client", "member_client"])
def test_owners_and_members_use_every_endpoint(request, world, who):
    client = request.getfixturevalue(who)
    for method, url, body, expected in _endpoints(world):
        response = _call(client, method, url, body)
        assert response.status_code == expected, f"{who} {method} {url}: {response.content}"


def test_a_viewer_reads_every_endpoint_and_writes_none(viewer_client, world):
    for method, url, body, _expected in _endpoints(world):
        response = _call(viewer_client, method, url, body)
        if method == "get":
            assert response.status_code == 200, f"{method} {url}"
        else:
            assert response.status_code == 403, f"{method} {url} → {response.status_code}"
            assert response.json()["error"]["code"] == "permission_denied"


def test_an_outsider_gets_404_on_every_ticket_of_another_organization(
    outsider_client, world, org_a
):
    for method, url, body, _expected in _endpoints(world):
        if url in ("/api/v1/tickets", "/api/v1/tickets/upsert"):
            continue  # collection endpoints act in the caller's own organization
        response = _call(outsider_client, method, url, body)
        assert response.status_code == 404, f"{method} {url} → {response.status_code}"
        selecting = _call(
            outsider_client, method, url, body, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug
        )
        assert selecting.status_code == 404, f"{method} {url} with org header"


def test_an_outsider_never_sees_another_organizations_tickets_in_lists(outsider_client, world):
    assert outsider_client.get("/api/v1/tickets").json()["results"] == []


def test_an_api_key_of_another_organization_gets_404(api_key_client, world, org_b):
    client = api_key_client(org_b, scope="write")
    for method, url, body, _expected in _endpoints(world):
        if url in ("/api/v1/tickets", "/api/v1/tickets/upsert"):
            continue
        response = _call(client, method, url, body)
        assert response.status_code == 404, f"{method} {url} → {response.status_code}"


def test_an_api_key_linking_another_organizations_session_gets_404(
    api_key_client, world, org_b, make_ticket
):
    client = api_key_client(org_b, scope="write")
    their_ticket = make_ticket(org_b)
    response = client.post(
        f"/api/v1/tickets/{their_ticket.pk}/sessions",
        {"session_id": world["session"].session_id},
        format="json",
    )
    assert response.status_code == 404
    assert not their_ticket.session_links.exists()


def test_a_read_scoped_key_reads_but_cannot_link(api_key_client, world, org_a):
    client = api_key_client(org_a, scope="read")
    url = f"/api/v1/tickets/{world['ticket'].pk}/sessions"
    assert client.get(url).status_code == 200
    response = client.post(url, {"session_id": world["spare"].session_id}, format="json")
    assert response.status_code == 403


def test_a_write_scoped_key_links_with_how_api(api_key_client, world, org_a):
    client = api_key_client(org_a, scope="write")
    url = f"/api/v1/tickets/{world['ticket'].pk}/sessions"
    response = client.post(url, {"session_id": world["spare"].session_id}, format="json")
    assert response.status_code == 201
    assert response.json()["how"] == "api" and response.json()["linked_by"] is None


def test_anonymous_callers_get_401(client, world):
    for method, url, _body, _expected in _endpoints(world):
        response = getattr(client, method)(url)
        assert response.status_code == 401, f"{method} {url}"
