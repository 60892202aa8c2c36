import pytest

from apps.orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_an_owner_changes_a_members_role_through_the_api(owner_client, org_a, bob):
    membership = Membership.objects.get(user=bob)
    response = owner_client.patch(
        f"/api/v1/members/{membership.pk}", {"role": "admin"}, format="json"
    )
    assert response.status_code == 200
    assert Membership.objects.get(pk=membership.pk).role == "admin"


def test_an_admin_cannot_make_someone_owner(client, org_a, alice, bob, vera):
    Membership.objects.filter(user=bob).update(role="admin")
    client.force_login(bob)
    target = Membership.objects.get(user=vera)
    response = client.patch(
        f"/api/v1/members/{target.pk}", {"role": "owner"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=target.pk).role == "viewer"


def test_the_last_owner_cannot_be_demoted_or_removed(owner_client, org_a, alice):
    me = Membership.objects.get(user=alice)
    response = owner_client.patch(f"/api/v1/members/{me.pk}", {"role": "member"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "last_owner"
    assert owner_client.delete(f"/api/v1/members/{me.pk}").status_code == 400
    assert Membership.objects.get(pk=me.pk).role == "owner"


def test_a_member_of_another_organization_is_not_found(owner_client, org_a, alice, charlie):
    theirs = Membership.objects.get(user=charlie)
    assert (
        owner_client.patch(
            f"/api/v1/members/{theirs.pk}", {"role": "viewer"}, format="json"
        ).status_code
        == 404
    )
    assert owner_client.delete(f"/api/v1/members/{theirs.pk}").status_code == 404
    assert Membership.objects.get(pk=theirs.pk).role == "owner"


def test_a_viewer_sees_the_members_but_a_member_cannot_remove_anyone(
    viewer_client, member_client, org_a, alice, vera
):
    emails = {m["email"] for m in viewer_client.get("/api/v1/members").json()["results"]}
    assert {"alice@acme.test", "vera@acme.test"} <= emails
    target = Membership.objects.get(user=vera)
    assert member_client.delete(f"/api/v1/members/{target.pk}").status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()


def test_a_user_in_two_organizations_picks_one_per_request_and_switches_in_the_dashboard(
    client, org_a, org_b, alice
):
    from tests.factories import add_member

    add_member(org_b, alice, "viewer")
    client.force_login(alice)
    a = client.get("/api/v1/organization", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug).json()
    b = client.get("/api/v1/organization", HTTP_X_QORRELATE_ORGANIZATION=org_b.slug).json()
    assert (a["name"], b["name"]) == ("Acme Shop", "Globex")
    client.get(f"/o/{org_b.slug}/")
    assert client.get("/").url.startswith(f"/o/{org_b.slug}/")
    assert client.get("/api/v1/organization").json()["name"] == "Globex"
