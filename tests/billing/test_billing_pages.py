"""The usage & billing page, plan changes through it, and the quota banner on every page."""

import pytest

from apps.billing.models import Metric
from apps.billing.selectors import subscription_for

pytestmark = pytest.mark.django_db


def test_the_usage_page_shows_usage_against_the_quota_the_plan_and_the_plans(
    client, org_a, vera, use
):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 420)
    use(org_a, Metric.SPANS_ACCEPTED, 12_345)
    client.force_login(vera)

    response = client.get(f"/o/{org_a.slug}/billing/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Usage &amp; billing</h1>" in page
    assert '420</span><span class="muted"> of 1,000' in page
    assert page.count('<svg class="bl-chart"') == 2
    assert 'class="bl-quota-line"' in page
    assert "Free plan" in page and "Upgrade to Team" not in page  # viewers see no buttons
    assert "Only an owner can change the plan." in page
    assert f'href="/o/{org_a.slug}/billing/"' in page  # the navigation link appears


def test_an_owner_upgrades_and_downgrades_through_the_page(client, org_a, alice):
    client.force_login(alice)
    page = client.get(f"/o/{org_a.slug}/billing/").content.decode()
    assert "Upgrade to Team" in page

    response = client.post(f"/o/{org_a.slug}/billing/plan/", {"plan": "team"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/o/{org_a.slug}/billing/"
    assert "Acme Shop is on the Team plan." in response.content.decode()
    assert subscription_for(organization=org_a).plan.code == "team"

    client.post(f"/o/{org_a.slug}/billing/plan/", {"plan": "free"})
    assert subscription_for(organization=org_a).plan.code == "free"


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_only_owners_change_the_plan(client, org_a, alice, bob, vera, who):
    client.force_login({"bob": bob, "vera": vera}[who])
    response = client.post(f"/o/{org_a.slug}/billing/plan/", {"plan": "business"})
    assert response.status_code == 403
    assert subscription_for(organization=org_a).plan.code == "free"


def test_an_unknown_plan_is_a_clear_error_on_the_page(client, org_a, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org_a.slug}/billing/plan/", {"plan": "platinum"})
    assert response.status_code == 404
    assert "No plan called" in response.content.decode()


def test_no_banner_below_80_percent(client, org_a, alice, use):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 799)
    client.force_login(alice)
    assert 'id="quota-banner"' not in client.get(f"/o/{org_a.slug}/").content.decode()


def test_a_notice_banner_at_80_percent_on_every_dashboard_page(client, org_a, alice, use):
    use(org_a, Metric.SPANS_ACCEPTED, 850_000)
    client.force_login(alice)
    for path in ("", "settings/", "billing/"):
        page = client.get(f"/o/{org_a.slug}/{path}").content.decode()
        assert 'data-level="notice"' in page, path
        assert "85 % of your Free quota used" in page


def test_a_stop_banner_at_100_percent_says_what_is_refused_and_the_way_out(
    client, org_a, alice, use
):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 1_000)
    client.force_login(alice)
    page = client.get(f"/o/{org_a.slug}/settings/members/").content.decode()
    assert 'data-level="over"' in page
    assert "New replay sessions are refused until" in page
    assert f'href="/o/{org_a.slug}/billing/#plans">Upgrade' in page


def test_the_banner_of_one_organization_never_shows_in_another(client, org_a, alice, use):
    from tests.factories import OrganizationFactory, add_member

    other = OrganizationFactory()
    add_member(other, alice, "owner")
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 1_000)
    client.force_login(alice)
    assert 'id="quota-banner"' not in client.get(f"/o/{other.slug}/").content.decode()
