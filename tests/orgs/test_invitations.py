from datetime import timedelta

import pytest
from django.utils import timezone

from apps.orgs import services
from apps.orgs.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token_from(mail) -> str:
    link = next(word for word in mail.body.split() if "/invitations/" in word)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_an_admin_invites_by_email_and_the_link_makes_a_membership_once(
    client, org_a, alice, mailoutbox
):
    client.force_login(alice)
    response = client.post(
        f"/o/{org_a.slug}/settings/members/",
        {"action": "invite", "email": "newbie@acme.test", "role": "viewer"},
    )
    assert response.status_code == 302
    assert mailoutbox[0].to == ["newbie@acme.test"]
    token = _token_from(mailoutbox[0])
    newbie = UserFactory(email="newbie@acme.test")
    client.force_login(newbie)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    assert Membership.objects.get(organization=org_a, user=newbie).role == "viewer"
    reused = client.post(f"/invitations/{token}/")
    assert reused.status_code == 410
    assert "already used" in reused.content.decode()


def test_a_new_person_signs_up_from_the_invitation_link(client, org_a, alice, mailoutbox):
    services.invitation_create(
        organization=org_a,
        email="fresh@acme.test",
        role="member",
        acting=alice.memberships.get(),
        base_url="http://testserver",
    )
    token = _token_from(mailoutbox[0])
    response = client.post(
        f"/invitations/{token}/",
        {"email": "fresh@acme.test", "password": "a-good-long-passphrase"},
    )
    assert response.status_code == 302
    assert (
        Membership.objects.get(organization=org_a, user__email="fresh@acme.test").role == "member"
    )


def test_an_expired_invitation_is_refused_with_a_clear_page(client, org_a, alice, mailoutbox):
    services.invitation_create(
        organization=org_a,
        email="late@acme.test",
        role="member",
        acting=alice.memberships.get(),
        base_url="http://testserver",
    )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    late = UserFactory(email="late@acme.test")
    client.force_login(late)
    response = client.post(f"/invitations/{_token_from(mailoutbox[0])}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=late).exists()


def test_an_unknown_invitation_token_is_a_404_page(client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_inviting_an_existing_member_is_an_error_not_a_duplicate(
    api_key_client, owner_client, org_a, bob
):
    response = owner_client.post(
        "/api/v1/invitations", {"email": "bob@acme.test", "role": "member"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "already_member"
    assert not Invitation.objects.exists()


def test_a_member_cannot_invite_people(member_client, org_a):
    response = member_client.post(
        "/api/v1/invitations", {"email": "x@acme.test", "role": "member"}, format="json"
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_invitation_link_starts_with_the_address_the_inviter_used(
    owner_client, org_a, mailoutbox
):
    owner_client.post(
        "/api/v1/invitations",
        {"email": "x@acme.test", "role": "member"},
        format="json",
        HTTP_HOST="qorrelate.acme.test",
    )
    link = next(w for w in mailoutbox[0].body.split() if "/invitations/" in w)
    assert link.startswith("http://qorrelate.acme.test/invitations/")


def test_the_invitation_link_uses_qorrelate_public_url_when_set(
    client, settings, org_a, alice, mailoutbox
):
    settings.PUBLIC_URL = "https://qorrelate.example.com"
    client.force_login(alice)
    client.post(
        f"/o/{org_a.slug}/settings/members/",
        {"action": "invite", "email": "y@acme.test", "role": "viewer"},
    )
    link = next(w for w in mailoutbox[0].body.split() if "/invitations/" in w)
    assert link.startswith("https://qorrelate.example.com/invitations/")
