"""Brute-force limits on log-in (per account and per client), sign-up and password reset:
a clear message, a 429 with Retry-After, and the same reply whether an account exists or not."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hundreds of logins here; PBKDF2's cost proves nothing about the limits.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, email, password, ip="192.0.2.10", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'value="[^"]*@[^"]*"', "", html)  # the e-mail typed back into the form


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(client, alice):
    failures = [_login(client, "alice@acme.test", f"guess-{n}").status_code for n in range(40)]
    assert failures[:9] == [200] * 9  # the form again, with the usual error
    assert set(failures[9:]) == {429}  # the tenth failure locks the account
    response = _login(client, "alice@acme.test", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_is_locked_whichever_addresses_the_guesses_come_from(client, alice):
    for n in range(10):
        _login(client, "Alice@Acme.test", "wrong", ip=f"198.51.100.{n}")
    assert _login(client, "alice@acme.test", PASSWORD, ip="203.0.113.1").status_code == 429


def test_a_client_guessing_many_accounts_is_locked_out_but_others_still_log_in(client, alice, bob):
    for n in range(10):
        _login(client, f"someone{n}@acme.test", "wrong", ip="198.51.100.66")
    assert _login(client, "alice@acme.test", PASSWORD, ip="198.51.100.66").status_code == 429
    assert _login(client, "bob@acme.test", PASSWORD, ip="203.0.113.5").status_code == 302


def test_rotating_x_forwarded_for_is_still_one_client(client, alice):
    for n in range(10):
        _login(client, f"x{n}@acme.test", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = _login(client, "alice@acme.test", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_a_locked_out_account_and_a_missing_one_get_the_same_reply(client, alice):
    for n in range(10):
        _login(client, "alice@acme.test", "wrong", ip=f"198.51.100.{n}")
        _login(client, "nobody@acme.test", "wrong", ip=f"198.51.100.{n}")
    existing = _login(client, "alice@acme.test", "wrong", ip="203.0.113.7")
    missing = _login(client, "nobody@acme.test", "wrong", ip="203.0.113.8")
    assert existing.status_code == missing.status_code == 429
    assert _text(existing) == _text(missing)


def test_a_wrong_password_reads_the_same_for_an_existing_and_a_missing_account(client, alice):
    existing = _login(client, "alice@acme.test", "wrong", ip="203.0.113.7")
    missing = _login(client, "nobody@acme.test", "wrong", ip="203.0.113.8")
    assert existing.status_code == missing.status_code == 200
    assert _text(existing) == _text(missing)


SIGNUP = {"password": "a-long-enough-passphrase", "organization_name": "Shop"}


def test_sign_ups_from_one_client_are_limited_with_a_clear_message(client):
    statuses = [
        client.post(
            "/signup/", {**SIGNUP, "email": f"dev{n}@shop.test"}, REMOTE_ADDR="192.0.2.20"
        ).status_code
        for n in range(10)
    ]
    client.logout()
    refused = client.post(
        "/signup/", {**SIGNUP, "email": "dev99@shop.test"}, REMOTE_ADDR="192.0.2.20"
    )
    assert statuses == [302] * 10
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert not get_user_model().objects.filter(email="dev99@shop.test").exists()
    other = client.post(
        "/signup/", {**SIGNUP, "email": "dev98@shop.test"}, REMOTE_ADDR="192.0.2.21"
    )
    assert other.status_code == 302


def _reset(client, email, ip="192.0.2.30"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_mails_an_address_at_most_three_times_an_hour(client, alice, mailoutbox):
    statuses = [
        _reset(client, "alice@acme.test", ip=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mailoutbox) == 3


def test_password_reset_refusals_read_the_same_for_existing_and_missing_accounts(
    client, alice, mailoutbox
):
    for _ in range(3):
        _reset(client, "alice@acme.test")
        _reset(client, "nobody@acme.test")
    existing, missing = _reset(client, "alice@acme.test"), _reset(client, "nobody@acme.test")
    assert existing.status_code == missing.status_code == 429
    assert _text(existing) == _text(missing)
    assert "Too many attempts" in existing.content.decode()


def test_password_reset_from_one_client_is_limited_across_addresses(client, mailoutbox):
    statuses = [_reset(client, f"who{n}@acme.test").status_code for n in range(21)]
    assert statuses == [302] * 20 + [429]
