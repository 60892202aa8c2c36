"""Who can see a session through the API: members of its organization (any role) and that
organization's API keys. Anyone else gets 404, as if it did not exist."""

import pytest

from apps.replay.models import Session
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_a(org_a, post_batch):
    sid = rrweb.new_session_id()
    post_batch(org_a, rrweb.envelope(sid, 0, [*rrweb.page_load(T0), rrweb.click(T0 + 10)]))
    return Session.objects.get(organization=org_a, session_id=sid)


def _paths(session):
    return [
        f"/api/v1/sessions/{session.session_id}",
        f"/api/v1/sessions/{session.session_id}/events",
    ]


@pytest.mark.parametrize("who", ["owner_client", "member_client", "viewer_client"])
def test_every_role_of_the_organization_can_read_its_sessions(request, session_a, who):
    client = request.getfixturevalue(who)
    listing = client.get("/api/v1/sessions").json()["results"]
    assert [row["session_id"] for row in listing] == [session_a.session_id]
    for path in _paths(session_a):
        assert client.get(path).status_code == 200, path


def test_an_outsider_gets_404_and_an_empty_list(outsider_client, session_a, org_a):
    for path in _paths(session_a):
        response = outsider_client.get(path)
        assert response.status_code == 404, path
        forced = outsider_client.get(path, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug)
        assert forced.status_code == 404, path
    assert outsider_client.get("/api/v1/sessions").json()["results"] == []


def test_an_api_key_of_another_organization_cannot_see_the_session(
    api_key_client, org_b, session_a
):
    client = api_key_client(org_b)
    for path in _paths(session_a):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/sessions").json()["results"] == []


def test_an_api_key_of_the_organization_can(api_key_client, org_a, session_a):
    client = api_key_client(org_a)
    for path in _paths(session_a):
        assert client.get(path).status_code == 200, path


def test_an_anonymous_caller_gets_401(client, session_a):
    for path in _paths(session_a):
        assert client.get(path).status_code == 401


def test_nobody_can_write_sessions_through_the_api(owner_client, session_a):
    for path in _paths(session_a):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(owner_client, method)(path, {}).status_code == 405
