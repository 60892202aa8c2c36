import pytest

from apps.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_an_admin_sets_allowed_origins_and_privacy_mode_through_the_api(owner_client, org_a):
    response = owner_client.patch(
        "/api/v1/organization",
        {"allowed_origins": ["https://Shop.Acme.test/"], "privacy_mode": "mask-all"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    org_a.refresh_from_db()
    assert org_a.allowed_origins == ["https://shop.acme.test"]
    assert org_a.privacy_mode == "mask-all"


def test_a_malformed_origin_is_a_clear_400_and_changes_nothing(owner_client, org_a):
    response = owner_client.patch(
        "/api/v1/organization", {"allowed_origins": ["shop.acme.test/path"]}, format="json"
    )
    assert response.status_code == 400
    assert "not an origin" in response.json()["error"]["message"]
    assert Organization.objects.get(pk=org_a.pk).allowed_origins == []


def test_the_settings_page_saves_name_origins_and_privacy_mode(client, org_a, alice):
    client.force_login(alice)
    response = client.post(
        f"/o/{org_a.slug}/settings/",
        {
            "name": "Acme",
            "allowed_origins": "https://a.test\nhttps://b.test",
            "privacy_mode": "mask-sensitive",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.name, org_a.allowed_origins, org_a.privacy_mode) == (
        "Acme",
        ["https://a.test", "https://b.test"],
        "mask-sensitive",
    )


def test_a_member_reads_settings_but_cannot_change_them(client, org_a, bob):
    client.force_login(bob)
    assert client.get(f"/o/{org_a.slug}/settings/").status_code == 200
    response = client.post(
        f"/o/{org_a.slug}/settings/", {"name": "Hijacked", "privacy_mode": "mask-all"}
    )
    assert response.status_code == 403
    assert Organization.objects.get(pk=org_a.pk).name == "Acme Shop"


def test_the_api_key_sees_only_its_own_organization(api_key_client, org_a, org_b):
    client = api_key_client(org_b)
    body = client.get("/api/v1/organization", HTTP_X_QORRELATE_ORGANIZATION=org_a.slug).json()
    assert body["data_org_id"] == org_b.public_id


def test_the_openapi_schema_documents_the_organization_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = {p.rstrip("/") for p in response.json()["paths"]}
    assert {"/api/v1/organization", "/api/v1/keys", "/api/v1/members"} <= set(paths)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
