"""Every organization has a subscription: on the Free plan until it chooses another. Both the
writes (``services``) and the quota reads (``usage``) need it, so it sits below both."""

from .models import Plan, Subscription

DEFAULT_PLAN_CODE = "free"


def default_plan() -> Plan:
    plan = Plan.objects.filter(code=DEFAULT_PLAN_CODE).first()
    if plan is None:  # plans are seeded by a migration; an emptied table is repaired here
        from .plans import seed_plans

        seed_plans(Plan)
        plan = Plan.objects.get(code=DEFAULT_PLAN_CODE)
    return plan


def subscription_ensure(*, organization_id: int) -> Subscription:
    """The organization's subscription, created on the Free plan when it has none."""
    subscription, _ = Subscription.objects.select_related("plan").get_or_create(
        organization_id=organization_id, defaults={"plan": default_plan()}
    )
    return subscription
