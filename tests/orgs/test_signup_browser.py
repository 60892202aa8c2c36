import pytest

from apps.orgs.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_developer_signs_up_in_a_real_browser_and_lands_on_the_install_page(
    live_server, page, artifacts_dir
):
    page.goto(f"{live_server.url}/signup/")
    page.fill("#id_email", "dev@startup.test")
    page.fill("#id_password", "a-long-enough-passphrase")
    page.fill("#id_organization_name", "Startup")
    page.screenshot(path=str(artifacts_dir / "signup.png"))
    page.click("button[type=submit]")
    page.wait_for_url("**/o/startup/")
    organization = Organization.objects.get(slug="startup")
    assert page.locator("h1").inner_text() == "Welcome to Startup"
    assert f'data-org-id="{organization.public_id}"' in page.locator("#script-tag").inner_text()
    assert page.locator("text=No sessions recorded yet").is_visible()
    page.screenshot(path=str(artifacts_dir / "dashboard-after-signup.png"), full_page=True)


def test_a_wrong_password_shows_a_clear_message_on_the_login_page(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "nobody@startup.test")
    page.fill("#id_password", "wrong-password-here")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").inner_text().startswith("Your e-mail and password")
