from html import unescape

import pytest
from django.contrib.auth import get_user_model

from apps.orgs.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "Dev@Shop.test",
    "password": "a-long-enough-passphrase",
    "organization_name": "Shop Inc",
}


def test_signup_creates_the_user_their_organization_and_makes_them_owner(client):
    response = client.post("/signup/", GOOD)
    organization = Organization.objects.get(name="Shop Inc")
    assert response.status_code == 302
    assert response["Location"] == f"/o/{organization.slug}/"
    user = get_user_model().objects.get(email="dev@shop.test")
    assert Membership.objects.get(user=user, organization=organization).role == Role.OWNER
    assert organization.public_id.startswith("org_")


def test_the_dashboard_after_signup_shows_the_exact_script_tag_and_an_empty_state(client):
    response = client.post("/signup/", GOOD, follow=True)
    organization = Organization.objects.get(name="Shop Inc")
    html = unescape(response.content.decode())
    assert f'data-org-id="{organization.public_id}"' in html
    assert "/static/replay.js" in html
    assert "No sessions recorded yet" in html
    assert "qorrelate_otel" in html


def test_signup_with_a_taken_email_is_a_form_error_not_a_500(client):
    client.post("/signup/", GOOD)
    client.logout()
    response = client.post("/signup/", {**GOOD, "email": "dev@shop.TEST"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_signup_with_a_weak_password_is_refused_with_the_reason(client):
    response = client.post("/signup/", {**GOOD, "password": "12345"})
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not Organization.objects.exists()


def test_login_works_with_the_email_in_any_case_and_logout_ends_the_session(client):
    client.post("/signup/", GOOD)
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "DEV@shop.test", "password": GOOD["password"]}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    client.post("/accounts/logout/")
    assert client.get("/o/anything/")["Location"].startswith("/accounts/login/")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, mailoutbox):
    client.post("/signup/", GOOD)
    client.logout()
    client.post("/accounts/password_reset/", {"email": "dev@shop.test"})
    assert len(mailoutbox) == 1
    link = next(w for w in mailoutbox[0].body.split() if "/accounts/reset/" in w)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "another-long-passphrase-42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    client.logout()
    login = client.post("/accounts/login/", {"username": "dev@shop.test", "password": new})
    assert login.status_code == 302
