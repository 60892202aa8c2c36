"""The Sampling and Retention settings pages: what they show, what admins change, and who may
see or change them."""

import pytest
from django.urls import reverse

from apps.lifecycle import services
from apps.lifecycle.models import SamplingPolicy, SamplingRule
from tests.lifecycle.conftest import put_on_plan
from tests.lifecycle.recording import age, record

pytestmark = pytest.mark.django_db


def _url(name, org):
    return reverse(name, kwargs={"org_slug": org.slug})


@pytest.mark.parametrize("name", ["sampling", "retention"])
def test_the_pages_are_in_the_navigation_and_readable_by_a_viewer(client, vera, org_a, name):
    client.force_login(vera)
    response = client.get(_url(name, org_a))
    assert response.status_code == 200
    assert f'href="{_url(name, org_a)}"' in response.content.decode()


@pytest.mark.parametrize("name", ["sampling", "retention"])
def test_an_outsider_gets_404_and_a_member_cannot_change_settings(
    client, bob, charlie, org_a, name
):
    client.force_login(charlie)
    assert client.get(_url(name, org_a)).status_code == 404
    client.force_login(bob)
    assert client.get(_url(name, org_a)).status_code == 200
    response = client.post(_url(name, org_a), {"action": "policy", "normal_rate": 1})
    assert response.status_code == 403


def test_an_owner_sets_the_rate_and_adds_a_segment_rule(client, alice, org_a):
    client.force_login(alice)
    url = _url("sampling", org_a)
    response = client.post(
        url,
        {
            "action": "policy",
            "normal_rate": "12.5",
            "idle_minutes": "20",
            "min_duration_seconds": "3",
            "drop_grace_minutes": "90",
        },
    )
    assert response.status_code == 302
    policy = SamplingPolicy.objects.get(organization=org_a)
    assert (policy.normal_rate, policy.idle_minutes, policy.min_duration_ms) == (12.5, 20, 3000)
    client.post(
        url, {"action": "add_rule", "name": "Checkout", "rate": "100", "url_pattern": "*/checkout*"}
    )
    rule = SamplingRule.objects.get(organization=org_a, kind="segment")
    client.post(url, {"action": "up", "rule_id": rule.pk})
    page = client.get(url).content.decode()
    assert "Checkout" in page and "*/checkout*" in page
    client.post(url, {"action": "delete", "rule_id": rule.pk})
    assert not SamplingRule.objects.filter(pk=rule.pk).exists()


def test_an_empty_segment_rule_is_refused_with_a_message(client, alice, org_a):
    client.force_login(alice)
    response = client.post(_url("sampling", org_a), {"action": "add_rule", "name": "x", "rate": 1})
    assert response.status_code == 400
    assert "needs at least one condition" in response.content.decode()


def test_the_sampling_page_answers_why_there_is_no_replay(client, vera, org_a):
    services.sampling_policy_update(organization=org_a, normal_rate=0)
    session = age(record(org_a, user_id="jane@x.test"), minutes=45)
    services.sessions_decide(organization=org_a, session_pks=[session.pk])
    client.force_login(vera)
    page = client.get(_url("sampling", org_a) + "?user=jane@x.test").content.decode()
    assert "Normal sampling rate" in page and "normal rate 0 %, not in the sample" in page


def test_the_retention_page_shows_the_dry_run_and_refuses_days_outside_the_plan(
    client, alice, org_a
):
    old = age(record(org_a), days=30)
    client.force_login(alice)
    page = client.get(_url("retention", org_a)).content.decode()
    assert old.session_id[:11] in page and "normal session, kept 14 days" in page
    response = client.post(
        _url("retention", org_a),
        {"normal_days": 60, "error_days": 14, "ticket_grace_days": 7, "telemetry_days": 14},
    )
    assert response.status_code == 400 and "between 1 and 14 days" in response.content.decode()


def _cards(html: str) -> list[str]:
    import re

    stats = html.split('class="lc-stats"', 1)[1].split("</div>\n</div>", 1)[0]
    return re.findall(r'<div class="n">([^<]+)</div>', stats)


def test_a_new_organization_sees_the_same_retention_in_the_cards_the_form_and_the_api(
    client, owner_client, alice, org_a
):
    """A new organization is on the Free plan: the saved defaults (errors 30 days, tickets 30)
    are above its bounds (14 and 7). Cards, form and API all show the days in force."""
    client.force_login(alice)
    response = client.get(_url("retention", org_a))
    html = response.content.decode()
    api = owner_client.get(
        "/api/v1/retention/policy", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug
    ).json()
    effective = api["effective"]
    assert api["plan_bounds"]["plan"] == "free"
    assert effective["error_days"] == 14 and effective["ticket_grace_days"] == 7
    form = response.context["form"]
    assert {name: form[name].value() for name in effective} == effective
    assert _cards(html)[:4] == [
        f"{effective['normal_days']} d",
        f"{effective['error_days']} d",
        f"open + {effective['ticket_grace_days']} d",
        f"{effective['telemetry_days']} d",
    ]
    # Nobody saved those defaults: the page says what the plan keeps, not "what was saved".
    assert {row["field"] for row in api["clamped"]} == {"error_days", "ticket_grace_days"}
    assert "sessions with errors: 14 days (Qorrelate's default 30)" in html
    assert "after a linked ticket closes: 7 days (Qorrelate's default 30)" in html
    assert "saved" not in html.split('id="retention-clamped"', 1)[1].split("</div>", 1)[0]

    # Saving the form as it stands is accepted, and then nothing is capped any more.
    saved = client.post(_url("retention", org_a), effective)
    assert saved.status_code == 302
    assert (
        owner_client.get(
            "/api/v1/retention/policy", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug
        ).json()["clamped"]
        == []
    )
    assert 'id="retention-clamped"' not in client.get(_url("retention", org_a)).content.decode()


def test_a_downgrade_caps_what_was_saved_and_the_page_says_so(client, owner_client, alice, org_a):
    put_on_plan(org_a, "team")
    client.force_login(alice)
    days = {"normal_days": 30, "error_days": 60, "ticket_grace_days": 30, "telemetry_days": 14}
    assert client.post(_url("retention", org_a), days).status_code == 302
    put_on_plan(org_a, "free")
    html = client.get(_url("retention", org_a)).content.decode()
    notice = html.split('id="retention-clamped"', 1)[1].split("</div>", 1)[0]
    assert "Your plan caps what was saved" in notice
    assert "normal sessions, 30 saved, 14 in force" in notice
    assert "sessions with errors, 60 saved, 14 in force" in notice
    effective = owner_client.get(
        "/api/v1/retention/policy", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug
    ).json()["effective"]
    assert effective["normal_days"] == 14 and effective["error_days"] == 14
