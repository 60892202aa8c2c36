"""Writes for subscriptions and plan changes, and the member limit (keyword-only arguments)."""

import logging

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Invitation, Membership, Organization

from .models import ChangeSource, Plan, Subscription, SubscriptionChange, SubscriptionStatus
from .signals import plan_changed
from .subscriptions import subscription_ensure
from .usage import bump_plan_version

logger = logging.getLogger(__name__)


def plan_by_code(*, code: str) -> Plan:
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        raise NotFound(f"No plan called {code!r}.", code="unknown_plan")
    return plan


def members_and_pending_invitations(*, organization: Organization) -> int:
    members = Membership.objects.filter(organization=organization).count()
    pending = Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()
    return members + pending


def member_limit_check(*, organization: Organization) -> None:
    """Registered as the orgs app's member_limit_hook: refuse one member too many."""
    plan = subscription_ensure(organization_id=organization.pk).plan
    if plan.member_limit is None:
        return
    if members_and_pending_invitations(organization=organization) >= plan.member_limit:
        raise DomainError(
            f"The {plan.name} plan includes {plan.member_limit} members (pending invitations "
            "count too). Upgrade under Usage & billing, or remove a member first.",
            code="member_limit_reached",
        )


@transaction.atomic
def subscription_change_plan(
    *,
    organization: Organization,
    plan: Plan,
    source: str,
    changed_by=None,
    force: bool = False,
    stripe_customer_id: str | None = None,
    stripe_subscription_id: str | None = None,
) -> Subscription:
    """Put the organization on ``plan`` now. ``force`` (Stripe, staff) skips the member check."""
    subscription_ensure(organization_id=organization.pk)
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("plan")
        .get(organization=organization)
    )
    if source == ChangeSource.OWNER and not plan.is_self_service:
        raise DomainError(
            f"The {plan.name} plan is arranged with us directly; write to sales.",
            code="plan_not_self_service",
        )
    if not force and plan.member_limit is not None:
        members = Membership.objects.filter(organization=organization).count()
        if members > plan.member_limit:
            raise DomainError(
                f"The {plan.name} plan includes {plan.member_limit} members and this "
                f"organization has {members}; remove members before switching.",
                code="too_many_members",
            )
    if stripe_customer_id is not None:
        subscription.stripe_customer_id = stripe_customer_id
    if stripe_subscription_id is not None:
        subscription.stripe_subscription_id = stripe_subscription_id
    old_plan = subscription.plan
    if old_plan.pk == plan.pk:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.save()
        return subscription
    subscription.plan = plan
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.save()
    SubscriptionChange.objects.create(
        organization=organization,
        from_plan=old_plan,
        to_plan=plan,
        source=source,
        changed_by=changed_by if getattr(changed_by, "pk", None) else None,
    )
    logger.info(
        "plan changed",
        extra={"organization_id": organization.pk, "from": old_plan.code, "to": plan.code},
    )

    # Bumped now for this transaction's own reads (and tests that never commit), and again after
    # the commit, so no other process keeps the old limits cached under the new version.
    bump_plan_version(organization_id=organization.pk)

    def _after_commit():
        bump_plan_version(organization_id=organization.pk)
        plan_changed.send(
            sender=Subscription, organization=organization, old_plan=old_plan, new_plan=plan
        )

    transaction.on_commit(_after_commit)
    return subscription


def subscription_set_status(*, organization: Organization, status: str) -> Subscription:
    subscription = subscription_ensure(organization_id=organization.pk)
    if status not in SubscriptionStatus.values:
        raise DomainError(f"Unknown subscription status {status!r}.", code="invalid_status")
    if subscription.status != status:
        subscription.status = status
        subscription.save(update_fields=["status", "updated_at"])
    return subscription
