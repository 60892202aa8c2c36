"""An invitation is for the address it was sent to: the link alone makes nobody a member.
Signing up from an invitation goes through the sign-up service (one transaction, the same
checks)."""

import pytest
from django.contrib.auth import get_user_model

from apps.orgs import services
from apps.orgs.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-good-long-passphrase"


@pytest.fixture
def token(org_a, alice, mailoutbox):
    _invitation, raw = services.invitation_create(
        organization=org_a,
        email="Invited@Acme.test",
        role="member",
        acting=alice.memberships.get(),
        base_url="http://testserver",
    )
    return raw


def _unused() -> bool:
    return Invitation.objects.get().accepted_at is None


def test_a_signed_in_user_with_another_address_is_refused_clearly(client, org_a, token):
    stranger = UserFactory(email="stranger@evil.test")
    client.force_login(stranger)
    page = client.get(f"/invitations/{token}/")
    response = client.post(f"/invitations/{token}/")
    for reply in (page, response):
        assert reply.status_code == 403
        text = reply.content.decode()
        assert "sent to invited@acme.test" in text and "logged in as stranger@evil.test" in text
        assert "Log out and use the invited address" in text
    assert not Membership.objects.filter(user=stranger).exists()
    assert _unused()


def test_the_invited_address_accepts_in_any_case(client, org_a, token):
    invited = UserFactory(email="INVITED@acme.test")
    client.force_login(invited)
    assert client.post(f"/invitations/{token}/").status_code == 302
    assert Membership.objects.get(user=invited, organization=org_a).role == "member"


def test_signing_up_from_the_link_with_another_address_is_refused(client, org_a, token):
    response = client.post(
        f"/invitations/{token}/", {"email": "other@evil.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 403
    assert "This invitation is for invited@acme.test" in response.content.decode()
    assert not get_user_model().objects.filter(email="other@evil.test").exists()
    assert _unused()


def test_signing_up_from_the_link_makes_the_account_and_the_membership(client, org_a, token):
    response = client.post(
        f"/invitations/{token}/", {"email": "invited@acme.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="invited@acme.test")
    assert Membership.objects.get(user=user, organization=org_a).role == "member"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_up_from_the_link_when_the_address_has_an_account_says_to_log_in(
    client, org_a, token
):
    UserFactory(email="invited@acme.test")
    response = client.post(
        f"/invitations/{token}/", {"email": "Invited@acme.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "already exists. Log in to accept the invitation." in response.content.decode()
    assert get_user_model().objects.filter(email__iexact="invited@acme.test").count() == 1
    assert _unused()


def test_a_weak_password_on_the_invitation_sign_up_creates_nothing(client, org_a, token):
    response = client.post(
        f"/invitations/{token}/", {"email": "invited@acme.test", "password": "12345"}
    )
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email="invited@acme.test").exists()
    assert _unused()


def test_the_invitation_sign_up_and_the_plain_sign_up_share_one_account_service():
    import inspect

    from apps.orgs.views import auth

    assert "user_create(" in inspect.getsource(services.signup)
    assert "user_create(" in inspect.getsource(services.signup_from_invitation)
    assert "set_password" not in inspect.getsource(auth)
