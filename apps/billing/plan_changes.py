"""An owner asks for another plan: directly (no Stripe), through Stripe Checkout (a first paid
plan), or by changing the Stripe subscription (already paying)."""

from dataclasses import dataclass

from django.db import transaction

from apps.core.errors import DomainError
from apps.orgs.models import Membership, Organization

from . import stripe_adapter
from .models import ChangeSource, Plan, Subscription
from .services import plan_by_code, subscription_change_plan
from .subscriptions import subscription_ensure


@dataclass(frozen=True)
class PlanChangeOutcome:
    subscription: Subscription
    checkout_url: str | None = None  # set when the owner must pay on Stripe first


def _check_fits(*, organization: Organization, plan: Plan) -> None:
    # Checked before any money moves, so nobody pays for a switch that is then refused.
    if not plan.is_self_service:
        raise DomainError(
            f"The {plan.name} plan is arranged with us directly; write to sales.",
            code="plan_not_self_service",
        )
    members = Membership.objects.filter(organization=organization).count()
    if plan.member_limit is not None and members > plan.member_limit:
        raise DomainError(
            f"The {plan.name} plan includes {plan.member_limit} members and this organization "
            f"has {members}; remove members before switching.",
            code="too_many_members",
        )


def plan_change_request(
    *,
    organization: Organization,
    plan_code: str,
    user,
    success_url: str = "",
    cancel_url: str = "",
) -> PlanChangeOutcome:
    plan = plan_by_code(code=plan_code)
    subscription = subscription_ensure(organization_id=organization.pk)
    if subscription.plan_id == plan.pk:
        return PlanChangeOutcome(subscription)
    _check_fits(organization=organization, plan=plan)
    if stripe_adapter.is_enabled():
        if plan.is_paid and not subscription.stripe_subscription_id:
            url = stripe_adapter.create_checkout_session(
                organization=organization,
                subscription=subscription,
                plan=plan,
                customer_email=getattr(user, "email", "") or "",
                success_url=success_url,
                cancel_url=cancel_url,
            )
            return PlanChangeOutcome(subscription, checkout_url=url)
        if subscription.stripe_subscription_id:
            if plan.is_paid:
                stripe_adapter.switch_subscription_plan(subscription=subscription, plan=plan)
            else:
                stripe_adapter.cancel_subscription(subscription=subscription)
                with transaction.atomic():
                    changed = subscription_change_plan(
                        organization=organization,
                        plan=plan,
                        source=ChangeSource.OWNER,
                        changed_by=user,
                        stripe_subscription_id="",
                    )
                return PlanChangeOutcome(changed)
    changed = subscription_change_plan(
        organization=organization, plan=plan, source=ChangeSource.OWNER, changed_by=user
    )
    return PlanChangeOutcome(changed)
