"""The privacy API and page: findings, summary, settings, audit-now — and who may do what
(owner alice, member bob, viewer vera of org A; charlie of org B is the outsider)."""

import pytest
from django.urls import reverse

from apps.privacy import services
from apps.privacy.models import Finding, PrivacySettings
from tests.privacy import events as ev
from tests.privacy.recording import record_leaky

pytestmark = pytest.mark.django_db
ORG = "HTTP_X_QORRELATE_ORGANIZATION"


@pytest.fixture
def audited(org_a):
    session = record_leaky(org_a)
    services.sessions_audit(organization=org_a, session_pks=[session.pk], scope="first")
    return session


def test_findings_are_listed_filtered_and_never_hold_the_value(viewer_client, audited):
    body = viewer_client.get("/api/v1/privacy/findings").json()
    assert len(body["results"]) == 4
    cards = viewer_client.get("/api/v1/privacy/findings?kind=card_number").json()["results"]
    assert cards[0]["selector"] == "body > form#checkout > p.receipt"
    assert cards[0]["session_id"] == audited.session_id and cards[0]["redacted"] is False
    raw = viewer_client.get("/api/v1/privacy/findings").content.decode()
    for secret in (ev.CARD, ev.CARD_DIGITS, ev.EMAIL, ev.PASSWORD):
        assert secret not in raw
    assert viewer_client.get("/api/v1/privacy/findings?kind=nope").status_code == 400


def test_the_summary_counts_findings_per_kind_and_day(member_client, audited):
    body = member_client.get("/api/v1/privacy/summary?days=7").json()
    assert body["findings"] == 4 and body["by_kind"]["card_number"] == 1
    assert len(body["daily"]) == 7 and sum(body["daily"][-1]["counts"].values()) == 4
    assert body["sessions_audited"] == 1 and body["bytes_scanned"] > 0
    assert member_client.get("/api/v1/privacy/summary?days=0").status_code == 400


def test_settings_are_read_by_anyone_and_changed_by_admins_only(
    owner_client, member_client, viewer_client, org_a
):
    assert viewer_client.get("/api/v1/privacy/settings").json()["auto_redact"] is False
    for client in (member_client, viewer_client):
        assert client.patch("/api/v1/privacy/settings", {"auto_redact": True}).status_code == 403
    response = owner_client.patch(
        "/api/v1/privacy/settings",
        {"auto_redact": True, "nightly_sample_percent": 10},
        format="json",
    )
    assert response.status_code == 200 and response.json()["auto_redact"] is True
    bad = owner_client.patch(
        "/api/v1/privacy/settings", {"nightly_sample_percent": 101}, format="json"
    )
    assert bad.status_code == 400
    assert PrivacySettings.objects.get(organization=org_a).nightly_sample_percent == 10


def test_an_owner_audits_a_session_now(owner_client, member_client, org_a):
    session = record_leaky(org_a)
    assert (
        member_client.post("/api/v1/privacy/audits", {"session_id": session.session_id}).status_code
        == 403
    )
    response = owner_client.post(
        "/api/v1/privacy/audits", {"session_id": session.session_id}, format="json"
    )
    assert response.status_code == 200 and response.json()["new_findings"] == 4
    assert (
        owner_client.post(
            "/api/v1/privacy/audits", {"session_id": "nope-nope"}, format="json"
        ).status_code
        == 404
    )
    assert owner_client.post("/api/v1/privacy/audits", {}, format="json").status_code == 400


def test_an_outsider_sees_none_of_another_organizations_findings(outsider_client, org_a, audited):
    finding = Finding.objects.filter(organization=org_a).first()
    assert outsider_client.get("/api/v1/privacy/findings").json()["results"] == []
    assert outsider_client.get(f"/api/v1/privacy/findings/{finding.pk}").status_code == 404
    assert outsider_client.get("/api/v1/privacy/findings", **{ORG: org_a.slug}).status_code == 404
    audit = outsider_client.post(
        "/api/v1/privacy/audits", {"session_id": audited.session_id}, format="json"
    )
    assert audit.status_code == 404


def test_the_privacy_page_shows_findings_to_a_viewer_and_404s_for_an_outsider(
    client, vera, charlie, org_a, audited
):
    url = reverse("privacy", kwargs={"org_slug": org_a.slug})
    client.force_login(vera)
    page = client.get(url).content.decode()
    assert f'href="{url}"' in page  # in the navigation
    assert "body &gt; form#checkout &gt; p.receipt" in page and "[card_number]" in page
    for secret in (ev.CARD, ev.EMAIL, ev.PASSWORD):
        assert secret not in page
    assert client.post(url, {"auto_redact": "on"}).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_an_owner_turns_on_auto_redact_on_the_page(client, alice, org_a):
    client.force_login(alice)
    url = reverse("privacy", kwargs={"org_slug": org_a.slug})
    response = client.post(
        url,
        {
            "auto_redact": "on",
            "audit_new_sessions": "on",
            "nightly_sample_percent": "2.5",
            "nightly_max_sessions": "50",
        },
    )
    assert response.status_code == 302
    settings = PrivacySettings.objects.get(organization=org_a)
    assert settings.auto_redact and settings.nightly_sample_percent == 2.5
    assert client.post(url, {"nightly_sample_percent": "x"}).status_code == 400
