"""Plans are data seeded by a migration; every organization has a subscription; plan limits
bound retention and the number of members; owners, staff and Stripe change plans."""

import pytest
from django.core import mail

from apps.billing.models import ChangeSource, Plan, Subscription, SubscriptionChange
from apps.billing.selectors import plan_retention_bounds, subscription_for
from apps.billing.services import subscription_change_plan
from apps.billing.signals import plan_changed
from apps.core.errors import DomainError
from apps.orgs import services as org_services
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_free_team_business_and_enterprise_with_limits_and_prices():
    plans = {plan.code: plan for plan in Plan.objects.all()}
    assert list(plans) == ["free", "team", "business", "enterprise"]
    free, team, business, enterprise = plans.values()
    assert (free.replay_sessions_quota, free.telemetry_quota, free.member_limit) == (
        1_000,
        1_000_000,
        3,
    )
    assert free.price_cents == 0 and free.hard_limit
    assert free.normal_retention_max_days == 14
    assert 0 < team.price_cents < business.price_cents
    assert team.session_overage_price > 0 and not team.hard_limit
    assert business.error_retention_max_days > team.error_retention_max_days
    assert business.member_limit > team.member_limit > free.member_limit
    assert enterprise.replay_sessions_quota is None and not enterprise.is_self_service


def test_a_new_organization_starts_on_the_free_plan(alice):
    _user, organization = org_services.signup(
        email="new@startup.test", password="a-long-enough-passphrase", organization_name="New"
    )
    subscription = Subscription.objects.get(organization=organization)
    assert subscription.plan.code == "free"
    assert subscription.status == "active"
    assert subscription.current_period.start.day == 1


def test_a_downgrade_narrows_the_retention_bounds(org_a, put_on_plan):
    put_on_plan(org_a, "business")
    wide = plan_retention_bounds(organization=org_a)
    put_on_plan(org_a, "free")
    narrow = plan_retention_bounds(organization=org_a)

    assert wide == {
        "plan": "business",
        "normal_days_min": 1,
        "normal_days_max": 90,
        "error_days_min": 1,
        "error_days_max": 365,
        "ticket_grace_days": 90,
    }
    assert narrow["plan"] == "free"
    assert narrow["normal_days_max"] < wide["normal_days_max"]
    assert narrow["error_days_max"] < wide["error_days_max"]
    assert narrow["ticket_grace_days"] < wide["ticket_grace_days"]


def test_a_plan_change_is_recorded_and_announced(org_a, alice):
    seen = []

    def listener(sender, organization, old_plan, new_plan, **kwargs):
        seen.append((organization.pk, old_plan.code, new_plan.code))

    plan_changed.connect(listener)
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Run on_commit callbacks at once (the test's transaction never commits).
            patch.setattr("django.db.transaction.on_commit", lambda func, **kw: func())
            subscription_change_plan(
                organization=org_a,
                plan=Plan.objects.get(code="team"),
                source=ChangeSource.OWNER,
                changed_by=alice,
            )
    finally:
        plan_changed.disconnect(listener)
    change = SubscriptionChange.objects.get(organization=org_a)
    assert (change.from_plan.code, change.to_plan.code, change.changed_by) == (
        "free",
        "team",
        alice,
    )
    assert seen == [(org_a.pk, "free", "team")]


def test_owners_cannot_pick_enterprise_themselves(org_a):
    with pytest.raises(DomainError) as refused:
        subscription_change_plan(
            organization=org_a, plan=Plan.objects.get(code="enterprise"), source=ChangeSource.OWNER
        )
    assert refused.value.code == "plan_not_self_service"
    assert subscription_for(organization=org_a).plan.code == "free"


def test_the_free_plan_refuses_a_fourth_member_counting_pending_invitations(org_a, alice, bob):
    org_services.invitation_create(
        organization=org_a,
        email="third@acme.test",
        role="member",
        acting=alice.memberships.get(),
        base_url="http://testserver",
    )
    with pytest.raises(DomainError) as refused:
        org_services.invitation_create(
            organization=org_a,
            email="fourth@acme.test",
            role="member",
            acting=alice.memberships.get(),
            base_url="http://testserver",
        )
    assert refused.value.code == "member_limit_reached"
    assert len(mail.outbox) == 1


def test_the_members_page_shows_the_member_limit_as_a_clear_error(client, org_a, alice, bob, vera):
    client.force_login(alice)
    response = client.post(
        f"/o/{org_a.slug}/settings/members/",
        {"action": "invite", "email": "newbie@acme.test", "role": "viewer"},
    )
    assert response.status_code == 400
    assert "The Free plan includes 3 members" in response.content.decode()


def test_a_team_plan_has_room_for_more_members(org_a, alice, bob, vera, put_on_plan):
    put_on_plan(org_a, "team")
    org_services.invitation_create(
        organization=org_a,
        email="fourth@acme.test",
        role="member",
        acting=alice.memberships.get(),
        base_url="http://testserver",
    )


def test_a_downgrade_below_the_member_count_is_refused_for_owners(org_a, alice, put_on_plan):
    put_on_plan(org_a, "team")
    for _ in range(3):
        add_member(org_a, UserFactory(), "member")
    with pytest.raises(DomainError) as refused:
        subscription_change_plan(
            organization=org_a, plan=Plan.objects.get(code="free"), source=ChangeSource.OWNER
        )
    assert refused.value.code == "too_many_members"
    assert subscription_for(organization=org_a).plan.code == "team"
