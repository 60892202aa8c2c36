"""``/r/<data-org-id>/<session_id>?t=ms``, the links the recorder's getSessionURL() returns."""

import pytest

pytestmark = pytest.mark.django_db


def link(org, session, query="?t=4200"):
    return f"/r/{org.public_id}/{session.session_id}{query}"


def test_a_member_lands_on_the_session_at_that_moment(client, org_a, bob, record_session):
    session = record_session(org_a)
    client.force_login(bob)
    response = client.get(link(org_a, session))
    assert response.status_code == 302
    assert response["Location"] == f"/o/{org_a.slug}/sessions/{session.session_id}/?t=4200"


def test_without_t_the_session_opens_at_its_start(client, org_a, vera, record_session):
    session = record_session(org_a)
    client.force_login(vera)
    assert client.get(link(org_a, session, ""))["Location"] == (
        f"/o/{org_a.slug}/sessions/{session.session_id}/"
    )
    assert client.get(link(org_a, session, "?t=later"))["Location"].endswith("/")


def test_an_anonymous_visitor_is_asked_to_log_in_and_comes_back(client, org_a, record_session):
    session = record_session(org_a)
    response = client.get(link(org_a, session))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert f"/r/{org_a.public_id}/{session.session_id}" in response["Location"]


def test_an_outsider_gets_404_as_if_the_session_did_not_exist(
    client, org_a, charlie, record_session
):
    session = record_session(org_a)
    client.force_login(charlie)
    assert client.get(link(org_a, session)).status_code == 404
    own = charlie.memberships.get().organization
    assert client.get(link(own, session)).status_code == 404


def test_unknown_organizations_and_sessions_are_404(client, org_a, alice, record_session):
    session = record_session(org_a)
    client.force_login(alice)
    assert client.get(f"/r/org_0000000000000000/{session.session_id}").status_code == 404
    assert client.get(f"/r/{org_a.public_id}/no-such-session").status_code == 404
