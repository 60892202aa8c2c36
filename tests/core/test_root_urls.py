"""The root URLs list every app by name (no import-by-convention): an app whose ``urls`` module
defines patterns but is missing from ``qorrelate/urls.py`` would silently serve nothing, so
this test fails instead."""

import importlib

import pytest
from django.conf import settings

from qorrelate import urls as root

MOUNTS = {
    "public_urlpatterns": root.public_urlpatterns,
    "org_urlpatterns": root.org_urlpatterns,
    "api_urlpatterns": root.api_urlpatterns,
}


def _apps_with_urls():
    for name in settings.INSTALLED_APPS:
        if not name.startswith("apps."):
            continue
        try:
            yield name, importlib.import_module(f"{name}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.urls":
                raise


@pytest.mark.parametrize("attribute", sorted(MOUNTS))
def test_every_apps_patterns_are_mounted_by_the_root_urls(attribute):
    mounted = {id(pattern) for pattern in MOUNTS[attribute]}
    missing = [
        f"{name}.{attribute}"
        for name, module in _apps_with_urls()
        if any(id(pattern) not in mounted for pattern in getattr(module, attribute, []))
    ]
    assert missing == []


def test_the_organizations_own_api_is_mounted_first():
    from apps.orgs.api import urls as orgs_api

    assert root.api_urlpatterns[: len(orgs_api.urlpatterns)] == orgs_api.urlpatterns
