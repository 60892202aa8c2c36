"""Shared fixtures: the organizations and people every ownership test uses.

alice owns org A; bob is a member of A; vera is a viewer of A; charlie owns org B (the outsider).
Live processes (a real server, a Celery worker, an S3 server, Chromium) are in tests/support/.
"""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, OrganizationFactory, UserFactory, add_member

pytest_plugins = ["tests.support.live", "tests.support.browser"]


def log_in(page, live_server, email):
    """Signs ``email`` in through the login page, as a person would, in a Playwright page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        raise pytest.UsageError(
            f"The test suite runs on PostgreSQL only (got {engine}). Use `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorrelate."
        )
    if not settings.REDIS_URL:
        raise pytest.UsageError("The test suite needs Redis: set REDIS_URL (make test does).")


@pytest.fixture(autouse=True)
def _isolated_blob_storage(settings, tmp_path):
    """File-storage tests write blobs under a temporary folder, never into data/."""
    if settings.STORAGES["replay"]["BACKEND"].endswith("FileSystemStorage"):
        from django.core.files.storage import storages

        settings.STORAGES = {
            **settings.STORAGES,
            "replay": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "blobs"), "allow_overwrite": True},
            },
        }
        storages._storages.pop("replay", None)
        yield
        storages._storages.pop("replay", None)
    else:
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Acme Shop")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Globex")


@pytest.fixture
def alice(org_a):
    user = UserFactory(email="alice@acme.test")
    add_member(org_a, user, "owner")
    return user


@pytest.fixture
def bob(org_a):
    user = UserFactory(email="bob@acme.test")
    add_member(org_a, user, "member")
    return user


@pytest.fixture
def vera(org_a):
    user = UserFactory(email="vera@acme.test")
    add_member(org_a, user, "viewer")
    return user


@pytest.fixture
def charlie(org_b):
    user = UserFactory(email="charlie@globex.test")
    add_member(org_b, user, "owner")
    return user


def _client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(alice):
    return _client_for(alice)


@pytest.fixture
def member_client(bob):
    return _client_for(bob)


@pytest.fixture
def viewer_client(vera):
    return _client_for(vera)


@pytest.fixture
def outsider_client(charlie):
    return _client_for(charlie)


@pytest.fixture
def api_key_client():
    """``api_key_client(org, scope="read")`` → an APIClient authenticated with a new API key."""
    from apps.orgs.services import key_create

    def make(organization, scope="read"):
        _key, raw = key_create(
            organization=organization, kind="api", name="test", scope=scope, created_by=None
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture
def ingest_key():
    """``ingest_key(org)`` → a raw ingest key of that organization."""
    from apps.orgs.services import key_create

    def make(organization):
        _key, raw = key_create(
            organization=organization, kind="ingest", name="otlp", created_by=None
        )
        return raw

    return make
