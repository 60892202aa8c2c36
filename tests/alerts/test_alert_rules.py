"""Alert rules through the page and the REST API: admins make, change and delete them, members
and viewers read them, another organization sees nothing; the webhook secret is shown once."""

import pytest

from apps.alerts.models import AlertRule
from apps.alerts.services import rule_create

pytestmark = pytest.mark.django_db


def _webhook_rule(organization, **fields):
    return rule_create(
        organization=organization,
        name=fields.pop("name", "Checkout"),
        kind=fields.pop("kind", "new_insight"),
        channel="webhook",
        webhook_url=fields.pop("webhook_url", "https://hooks.example.test/q"),
        **fields,
    )


RULE_FORM = {
    "action": "create",
    "name": "Checkout problems",
    "kind": "threshold",
    "threshold_sessions": "5",
    "finding_kinds": ["double_submit", "invisible_error"],
    "min_severity": "2",
    "channel": "webhook",
    "webhook_url": "https://hooks.example.test/q",
    "enabled": "on",
}


def test_an_empty_alerts_page_says_what_to_do(client, org_a, alice):
    client.force_login(alice)
    page = client.get(f"/o/{org_a.slug}/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "No alert rules yet" in html
    assert "Send test" in html  # the empty state names the next step
    assert f'href="/o/{org_a.slug}/alerts/"' in html  # the navigation links the page


def test_an_admin_creates_a_webhook_rule_on_the_page_and_sees_its_secret_once(client, org_a, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org_a.slug}/alerts/", RULE_FORM)
    assert response.status_code == 200
    rule = AlertRule.objects.get(organization=org_a)
    assert (rule.kind, rule.threshold_sessions, rule.min_severity) == ("threshold", 5, 2)
    assert rule.finding_kinds == ["double_submit", "invisible_error"]
    assert rule.secret.startswith("whsec_")
    assert rule.secret in response.content.decode()
    again = client.get(f"/o/{org_a.slug}/alerts/").content.decode()
    assert "Checkout problems" in again
    assert rule.secret not in again


def test_a_threshold_rule_without_a_number_is_refused_with_the_reason(client, org_a, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org_a.slug}/alerts/", {**RULE_FORM, "threshold_sessions": ""})
    assert response.status_code == 400
    assert "needs a number of sessions" in response.content.decode()
    assert not AlertRule.objects.filter(organization=org_a).exists()


def test_an_email_rule_needs_valid_addresses(client, org_a, alice):
    client.force_login(alice)
    form = {**RULE_FORM, "channel": "email", "webhook_url": "", "emails": "ops@acme.test, nope"}
    response = client.post(f"/o/{org_a.slug}/alerts/", form)
    assert response.status_code == 400
    assert "nope is not an e-mail address" in response.content.decode()
    form["emails"] = "ops@acme.test\noncall@acme.test"
    assert client.post(f"/o/{org_a.slug}/alerts/", form).status_code == 302
    rule = AlertRule.objects.get(organization=org_a)
    assert rule.emails == ["ops@acme.test", "oncall@acme.test"]


def test_an_admin_edits_turns_off_and_deletes_a_rule_on_the_page(client, org_a, alice):
    rule = _webhook_rule(org_a)
    client.force_login(alice)
    edit = f"/o/{org_a.slug}/alerts/{rule.pk}/"
    assert client.get(edit).status_code == 200
    changed = {**RULE_FORM, "action": "", "name": "Renamed", "threshold_sessions": "9"}
    assert client.post(edit, changed).status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.threshold_sessions) == ("Renamed", 9)
    page = f"/o/{org_a.slug}/alerts/"
    client.post(page, {"action": "disable", "rule_id": rule.pk})
    rule.refresh_from_db()
    assert rule.enabled is False
    client.post(page, {"action": "delete", "rule_id": rule.pk})
    assert not AlertRule.objects.filter(pk=rule.pk).exists()


def test_a_member_and_a_viewer_see_the_rules_but_cannot_change_them(client, org_a, bob, vera):
    rule = _webhook_rule(org_a)
    for person in (bob, vera):
        client.force_login(person)
        page = client.get(f"/o/{org_a.slug}/alerts/")
        assert page.status_code == 200
        assert "Checkout" in page.content.decode()
        assert "Only admins and owners change alert rules." in page.content.decode()
        assert client.post(f"/o/{org_a.slug}/alerts/", RULE_FORM).status_code == 403
        delete = {"action": "delete", "rule_id": rule.pk}
        assert client.post(f"/o/{org_a.slug}/alerts/", delete).status_code == 403
    assert AlertRule.objects.filter(organization=org_a).count() == 1


def test_another_organizations_rule_is_missing_on_the_page(client, org_a, alice, org_b):
    theirs = _webhook_rule(org_b)
    client.force_login(alice)
    assert client.get(f"/o/{org_a.slug}/alerts/{theirs.pk}/").status_code == 404
    response = client.post(f"/o/{org_a.slug}/alerts/", {"action": "delete", "rule_id": theirs.pk})
    assert response.status_code == 404
    assert AlertRule.objects.filter(pk=theirs.pk).exists()


def test_the_api_creates_lists_updates_and_deletes_rules(owner_client, org_a, alice):
    created = owner_client.post(
        "/api/v1/alert-rules",
        {
            "name": "New problems",
            "kind": "new_insight",
            "channel": "email",
            "emails": ["ops@acme.test"],
            "finding_kinds": ["slow_page"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_")
    rule_id = body["id"]
    listed = owner_client.get("/api/v1/alert-rules").json()["results"]
    assert [r["id"] for r in listed] == [rule_id]
    assert "secret" not in listed[0]
    patched = owner_client.patch(
        f"/api/v1/alert-rules/{rule_id}",
        {"kind": "threshold", "threshold_sessions": 3},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["kind"], patched.json()["threshold_sessions"]) == ("threshold", 3)
    assert owner_client.delete(f"/api/v1/alert-rules/{rule_id}").status_code == 204
    assert not AlertRule.objects.filter(pk=rule_id).exists()


def test_the_api_refuses_a_bad_rule_with_a_json_error_and_makes_nothing(owner_client, org_a, alice):
    for body in (
        {"name": "x", "kind": "threshold", "channel": "email", "emails": ["a@b.test"]},
        {"name": "x", "kind": "new_insight", "channel": "webhook"},
        {"name": "x", "kind": "new_insight", "channel": "webhook", "webhook_url": "ftp://x"},
        {"name": "x", "kind": "sometimes", "channel": "email", "emails": ["a@b.test"]},
        {
            "name": "x",
            "kind": "new_insight",
            "channel": "email",
            "emails": ["a@b.test"],
            "finding_kinds": ["bored_user"],
        },
    ):
        response = owner_client.post("/api/v1/alert-rules", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "error" in response.json()
    assert not AlertRule.objects.filter(organization=org_a).exists()


def test_a_member_reads_rules_through_the_api_but_cannot_write_them(member_client, org_a, bob):
    rule = _webhook_rule(org_a)
    assert member_client.get("/api/v1/alert-rules").json()["results"][0]["id"] == rule.pk
    body = {"name": "x", "kind": "new_insight", "channel": "email", "emails": ["a@b.test"]}
    assert member_client.post("/api/v1/alert-rules", body, format="json").status_code == 403
    assert member_client.delete(f"/api/v1/alert-rules/{rule.pk}").status_code == 403
    assert member_client.post(f"/api/v1/alert-rules/{rule.pk}/test").status_code == 403


def test_the_api_shows_no_rule_or_delivery_of_another_organization(
    owner_client, org_a, alice, org_b
):
    theirs = _webhook_rule(org_b)
    assert owner_client.get("/api/v1/alert-rules").json()["results"] == []
    assert owner_client.get(f"/api/v1/alert-rules/{theirs.pk}").status_code == 404
    assert owner_client.delete(f"/api/v1/alert-rules/{theirs.pk}").status_code == 404
    assert owner_client.post(f"/api/v1/alert-rules/{theirs.pk}/test").status_code == 404
    response = owner_client.get("/api/v1/alert-deliveries", {"rule_id": theirs.pk})
    assert response.status_code == 400
    assert AlertRule.objects.filter(pk=theirs.pk).exists()


def test_the_delivery_list_refuses_an_undocumented_query_parameter(owner_client, org_a, alice):
    response = owner_client.get("/api/v1/alert-deliveries", {"colour": "red"})
    assert response.status_code == 400
    assert "Unknown query parameter" in response.json()["error"]["message"]
    assert owner_client.get("/api/v1/alert-deliveries", {"status": "sent"}).status_code == 200


def test_rotating_the_secret_returns_a_new_one_once(owner_client, org_a, alice):
    rule = _webhook_rule(org_a)
    response = owner_client.post(f"/api/v1/alert-rules/{rule.pk}/rotate-secret")
    assert response.status_code == 200
    rule_before = rule.secret
    rule.refresh_from_db()
    assert response.json()["secret"] == rule.secret != rule_before


def test_a_delivery_is_read_by_id_only_in_its_organization(
    owner_client, outsider_client, org_a, alice, charlie
):
    from apps.alerts.services import alerts_evaluate
    from tests.alerts.conftest import make_insight

    rule_create(
        organization=org_a, name="Mail", kind="new_insight", channel="email", emails=["o@a.test"]
    )
    make_insight(org_a)
    (delivery,) = alerts_evaluate(organization=org_a)
    mine = owner_client.get(f"/api/v1/alert-deliveries/{delivery.pk}")
    assert mine.status_code == 200
    assert (mine.json()["reason"], mine.json()["status"]) == ("new_insight", "pending")
    assert outsider_client.get(f"/api/v1/alert-deliveries/{delivery.pk}").status_code == 404
    assert outsider_client.get("/api/v1/alert-deliveries").json()["results"] == []
