import pytest
from django.utils import timezone

from apps.core.errors import AuthenticationFailed
from apps.orgs import keys, services
from apps.orgs.models import SecretKey

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_as_a_hash_with_a_visible_prefix(org_a, alice):
    key, raw = services.key_create(
        organization=org_a, kind="api", name="helpdesk", scope="write", created_by=alice
    )
    stored = SecretKey.objects.get(pk=key.pk)
    assert raw.startswith(stored.prefix + "_")
    assert raw.split("_")[-1] not in stored.secret_hash
    assert stored.secret_hash == keys.hash_secret(raw.split("_")[-1])


def test_authenticating_a_key_records_its_last_use(org_a):
    key, raw = services.key_create(organization=org_a, kind="ingest", name="otlp", created_by=None)
    assert key.last_used_at is None
    found = services.key_authenticate(raw=raw, kind="ingest")
    assert found.pk == key.pk
    assert SecretKey.objects.get(pk=key.pk).last_used_at is not None


def test_a_revoked_key_no_longer_authenticates(org_a):
    key, raw = services.key_create(organization=org_a, kind="api", name="x", created_by=None)
    services.key_revoke(organization=org_a, key_id=key.pk)
    with pytest.raises(AuthenticationFailed, match="revoked"):
        services.key_authenticate(raw=raw, kind="api")


def test_an_ingest_key_is_not_an_api_key(org_a):
    _key, raw = services.key_create(organization=org_a, kind="ingest", name="x", created_by=None)
    with pytest.raises(AuthenticationFailed):
        services.key_authenticate(raw=raw, kind="api")


def test_a_tampered_secret_is_refused(org_a):
    _key, raw = services.key_create(organization=org_a, kind="api", name="x", created_by=None)
    tampered = raw[:-1] + ("0" if raw[-1] != "0" else "1")
    with pytest.raises(AuthenticationFailed, match="not valid"):
        services.key_authenticate(raw=tampered, kind="api")


def test_revoking_another_organizations_key_is_not_found(org_a, org_b):
    key, _raw = services.key_create(organization=org_b, kind="api", name="x", created_by=None)
    from apps.core.errors import NotFound

    with pytest.raises(NotFound):
        services.key_revoke(organization=org_a, key_id=key.pk)
    assert SecretKey.objects.get(pk=key.pk).revoked_at is None


def test_api_requests_with_a_revoked_or_malformed_key_get_a_json_401(org_a, client):
    key, raw = services.key_create(organization=org_a, kind="api", name="x", created_by=None)
    assert client.get("/api/v1/organization", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    SecretKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    for header in (f"Bearer {raw}", "Bearer", "Bearer a b", "Bearer not-a-key"):
        response = client.get("/api/v1/organization", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"]["message"]


def test_creating_a_key_through_the_api_shows_the_secret_once(owner_client, org_a):
    response = owner_client.post(
        "/api/v1/keys", {"kind": "api", "name": "zendesk", "scope": "read"}, format="json"
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    listed = owner_client.get("/api/v1/keys").json()["results"]
    assert [k["prefix"] for k in listed] == [response.json()["prefix"]]
    assert secret not in str(listed)
