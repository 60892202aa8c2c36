"""The install cards (overview, general settings, an empty sessions list) show what each SDK
needs: the script tag or the browser npm package, the pip line and Django setup, the npm line
and Node setup. The package
names are the ones the SDK manifests declare; tests/sdks installs exactly these lines."""

import json
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.orgs.snippets import (
    BROWSER_INSTALL,
    BROWSER_PACKAGE,
    NODE_INSTALL,
    NODE_PACKAGES,
    PYTHON_INSTALL,
    PYTHON_PACKAGE,
    node_install_command,
    python_install_command,
)

SDKS = Path(__file__).resolve().parents[2] / "sdks"
PAGES = ["org_home", "org_settings", "sessions"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_the_install_cards_show_the_pip_and_npm_lines_and_their_setup(client, org_a, alice, page):
    client.force_login(alice)
    response = client.get(reverse(page, kwargs={"org_slug": org_a.slug}))

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(f'data-org-id="{org_a.public_id}"') in html  # the script tag
    assert escape(BROWSER_INSTALL) in html
    assert escape(f"init({{ orgId: '{org_a.public_id}', endpoint: 'http://testserver',") in html
    assert escape(python_install_command()) in html
    assert "qorrelate_otel.django.SessionIdMiddleware" in html
    assert escape('configure(endpoint="http://testserver"') in html
    assert escape(node_install_command()) in html
    assert escape("q.otlpOptions({ endpoint: 'http://testserver'") in html
    assert "qorrelateExpress()" in html and "qorrelateFastify" in html
    assert reverse("org_keys", kwargs={"org_slug": org_a.slug}) in html


def test_the_wrapped_commands_are_the_install_lines():
    assert " ".join(node_install_command().replace("\\\n", " ").split()) == NODE_INSTALL
    assert python_install_command().split("#")[0].strip() == PYTHON_INSTALL


def test_the_install_lines_name_the_packages_the_sdks_declare():
    python = tomllib.loads((SDKS / "python" / "pyproject.toml").read_text())["project"]
    node = json.loads((SDKS / "node" / "package.json").read_text())
    browser = json.loads((SDKS / "browser" / "package.json").read_text())

    assert browser["name"] == BROWSER_PACKAGE

    assert python["name"] == PYTHON_PACKAGE
    assert "django" in python["optional-dependencies"]  # the [django] of the pip line
    assert NODE_PACKAGES[0] == node["name"]
    # The rest are what the Node SDK test installs beside it, at its tested versions.
    assert set(NODE_PACKAGES[1:]) <= set(node["devDependencies"])
    assert "@opentelemetry/api" in node["peerDependencies"]
    assert "@opentelemetry/api" in NODE_PACKAGES
