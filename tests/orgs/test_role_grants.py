"""Role grants: every path that gives, changes or takes away a role — inviting (API and
dashboard), accepting an invitation, changing a role (API and dashboard), removing a member
(API and dashboard) — goes through one check. Only owners grant or take away the owner role;
an admin cannot make anyone owner, demote an owner or remove one."""

import ast
import hashlib
import pathlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.orgs.models import Invitation, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org_a, bob):
    Membership.objects.filter(user=bob).update(role="admin")
    return bob


def _pk(user) -> int:
    return Membership.objects.get(user=user).pk


def _members(org) -> dict[str, str]:
    return dict(Membership.objects.filter(organization=org).values_list("user__email", "role"))


def _invitation_sent_by(org, sender, role, email="newcomer@acme.test"):
    """An invitation as one made before this check existed (or by a sender since demoted)."""
    token = f"token-{sender.pk}-{role}"
    Invitation.objects.create(
        organization=org,
        email=email,
        role=role,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        invited_by=sender,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return token


def _api_invite(client, org, role, **_):
    return client.post(
        "/api/v1/invitations",
        {"email": "new@acme.test", "role": role},
        content_type="application/json",
    )


def _dashboard_invite(client, org, role, **_):
    data = {"action": "invite", "email": "new@acme.test", "role": role}
    return client.post(f"/o/{org.slug}/settings/members/", data)


def _accept(client, org, role, sender, **_):
    token = _invitation_sent_by(org, sender, role)
    client.force_login(UserFactory(email="newcomer@acme.test"))
    return client.post(f"/invitations/{token}/")


def _api_change(client, org, role, target, **_):
    return client.patch(
        f"/api/v1/members/{_pk(target)}", {"role": role}, content_type="application/json"
    )


def _dashboard_change(client, org, role, target, **_):
    data = {"action": "role", "membership_id": _pk(target), "role": role}
    return client.post(f"/o/{org.slug}/settings/members/", data)


def _api_remove(client, org, role, target, **_):
    return client.delete(f"/api/v1/members/{_pk(target)}")


def _dashboard_remove(client, org, role, target, **_):
    data = {"action": "remove", "membership_id": _pk(target)}
    return client.post(f"/o/{org.slug}/settings/members/", data)


# (path, role asked for, whose membership it targets: the owner or the viewer)
ADMIN_ATTEMPTS = [
    ("invite as owner through the API", _api_invite, "owner", None),
    ("invite as owner from the members page", _dashboard_invite, "owner", None),
    ("accept an owner invitation an admin sent", _accept, "owner", None),
    ("make a viewer owner through the API", _api_change, "owner", "viewer"),
    ("make a viewer owner from the members page", _dashboard_change, "owner", "viewer"),
    ("demote the owner through the API", _api_change, "viewer", "owner"),
    ("demote the owner from the members page", _dashboard_change, "viewer", "owner"),
    ("remove the owner through the API", _api_remove, None, "owner"),
    ("remove the owner from the members page", _dashboard_remove, None, "owner"),
]


@pytest.mark.parametrize(
    ("path", "attempt", "role", "target"), ADMIN_ATTEMPTS, ids=[a[0] for a in ADMIN_ATTEMPTS]
)
def test_an_admin_cannot_grant_or_take_away_the_owner_role_through_any_path(
    client, org_a, alice, vera, admin, path, attempt, role, target
):
    before = _members(org_a)
    client.force_login(admin)
    target_user = {"owner": alice, "viewer": vera, None: None}[target]
    response = attempt(client, org_a, role, target=target_user, sender=admin)

    assert response.status_code == 403, (path, response.status_code)
    assert "owner" in response.content.decode()
    assert _members(org_a) == before
    assert not Invitation.objects.filter(email="new@acme.test").exists()


OWNER_ACTIONS = [
    ("invite as owner through the API", _api_invite, "owner", None, 201),
    ("invite as owner from the members page", _dashboard_invite, "owner", None, 302),
    ("accept an owner invitation an owner sent", _accept, "owner", None, 302),
    ("make a viewer owner through the API", _api_change, "owner", "viewer", 200),
    ("make a viewer owner from the members page", _dashboard_change, "owner", "viewer", 302),
    ("demote another owner through the API", _api_change, "viewer", "owner", 200),
    ("demote another owner from the members page", _dashboard_change, "viewer", "owner", 302),
    ("remove another owner through the API", _api_remove, None, "owner", 204),
    ("remove another owner from the members page", _dashboard_remove, None, "owner", 302),
]


@pytest.mark.parametrize(
    ("path", "attempt", "role", "target", "expected"),
    OWNER_ACTIONS,
    ids=[a[0] for a in OWNER_ACTIONS],
)
def test_an_owner_grants_and_takes_away_the_owner_role_through_every_path(
    client, org_a, alice, vera, mailoutbox, path, attempt, role, target, expected
):
    second_owner = None
    if target == "owner":  # (only then: the Free plan's member limit counts everyone)
        second_owner = UserFactory(email="second@acme.test")
        Membership.objects.create(organization=org_a, user=second_owner, role="owner")
    client.force_login(alice)
    target_user = {"owner": second_owner, "viewer": vera, None: None}[target]
    response = attempt(client, org_a, role, target=target_user, sender=alice)

    assert response.status_code == expected, (path, response.content[:300])
    members = _members(org_a)
    if attempt in (_api_invite, _dashboard_invite):
        assert Invitation.objects.get(email="new@acme.test").role == "owner"
    elif attempt is _accept:
        assert members["newcomer@acme.test"] == "owner"
    elif attempt in (_api_remove, _dashboard_remove):
        assert "second@acme.test" not in members
    else:
        assert members[target_user.email] == role


def test_an_owner_invitation_is_refused_once_its_sender_is_no_longer_an_owner(client, org_a, alice):
    token = _invitation_sent_by(org_a, alice, "owner")
    Membership.objects.create(
        organization=org_a, user=UserFactory(email="other-owner@acme.test"), role="owner"
    )
    Membership.objects.filter(user=alice).update(role="admin")
    client.force_login(UserFactory(email="newcomer@acme.test"))
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert "Ask an owner of the organization for a new invitation" in response.content.decode()
    assert not Membership.objects.filter(user__email="newcomer@acme.test").exists()


def test_an_admin_grants_roles_up_to_admin_and_the_page_offers_only_those(
    client, org_a, alice, vera, admin
):
    client.force_login(admin)
    assert _api_change(client, org_a, "admin", target=vera).status_code == 200
    assert _members(org_a)["vera@acme.test"] == "admin"
    page = client.get(f"/o/{org_a.slug}/settings/members/").content.decode()
    invite_form = page[page.index("Invite someone") :]
    assert 'value="admin"' in invite_form and 'value="owner"' not in invite_form
    # The owner's row shows a badge, not a role form or a remove button.
    owner_row = page[page.index("alice@acme.test") : page.index("</tr>", page.index("alice@"))]
    assert 'name="action"' not in owner_row


WRITES = ("create", "get_or_create", "update_or_create", "bulk_create", "update")


def _membership_writers() -> set[str]:
    """Functions anywhere in apps/ that create memberships or set a role."""
    found = set()
    for path in pathlib.Path("apps").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                source = ast.unparse(node) if isinstance(node, ast.Call | ast.Assign) else ""
                is_membership_write = isinstance(node, ast.Call) and (
                    "Membership.objects" in source
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in WRITES
                    and (node.func.attr != "update" or "role" in source)
                )
                is_role_assignment = isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "role" for t in node.targets
                )
                if is_membership_write or is_role_assignment:
                    found.add(f"{path}:{func.name}")
    return found


def test_memberships_are_written_only_by_the_services_the_paths_above_cover():
    assert _membership_writers() == {
        "apps/orgs/services.py:organization_create",  # the founder of a new organization
        "apps/orgs/services.py:invitation_accept",
        "apps/orgs/services.py:membership_set_role",
    }
