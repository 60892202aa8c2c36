"""Every page names an icon that exists, and /favicon.ico (asked for by browsers wherever a
page names none) leads to it: no 404 in any page's network log."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/o/{slug}/", "/o/{slug}/sessions/", "/accounts/login/"])
def test_every_page_names_an_icon_that_is_served(client, alice, org_a, path):
    client.force_login(alice)
    html = client.get(path.format(slug=org_a.slug)).content.decode()
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html).group(1)
    response = client.get(icon)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/static/favicon.svg", 302)]
