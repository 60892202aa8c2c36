"""Stripe, through the ``stripe`` package: checkout for a first paid plan, then plan changes on
the Stripe subscription. Enabled only when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set;
self-hosted installs without them let owners change plans directly.
"""

import logging

import stripe
from django.conf import settings

from apps.core.errors import DomainError
from apps.orgs.models import Organization

from .models import Plan, Subscription

logger = logging.getLogger(__name__)


def is_enabled() -> bool:
    return bool(
        getattr(settings, "STRIPE_SECRET_KEY", "")
        and getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    )


def _client() -> stripe.StripeClient:
    options = {}
    # Tests (and stripe-mock users) point the client at a local server.
    api_base = getattr(settings, "STRIPE_API_BASE", "")
    if api_base:
        options["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **options)


def _provider_error(exc: stripe.StripeError) -> DomainError:
    logger.warning("stripe call failed: %s", exc)
    return DomainError(
        "The payment provider did not accept the change; nothing was changed. Try again.",
        code="payment_provider_error",
        status=502,
    )


def _line_item(plan: Plan) -> dict:
    if plan.stripe_price_id:
        return {"price": plan.stripe_price_id, "quantity": 1}
    return {
        "price_data": {
            "currency": plan.currency,
            "unit_amount": plan.price_cents,
            "recurring": {"interval": "month"},
            "product_data": {"name": f"Qorrelate {plan.name}"},
        },
        "quantity": 1,
    }


def create_checkout_session(
    *,
    organization: Organization,
    subscription: Subscription,
    plan: Plan,
    customer_email: str,
    success_url: str,
    cancel_url: str,
) -> str:
    """A Stripe Checkout page for ``plan``; the plan changes when its webhook arrives."""
    metadata = {"organization_id": str(organization.pk), "plan": plan.code}
    params: dict = {
        "mode": "subscription",
        "line_items": [_line_item(plan)],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": str(organization.pk),
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
    }
    if subscription.stripe_customer_id:
        params["customer"] = subscription.stripe_customer_id
    elif customer_email:
        params["customer_email"] = customer_email
    try:
        session = _client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
    return session.url


def switch_subscription_plan(*, subscription: Subscription, plan: Plan) -> None:
    """Move an existing Stripe subscription to another paid plan's price."""
    if not plan.stripe_price_id:
        raise DomainError(
            f"The {plan.name} plan has no Stripe price yet; staff set it in the admin.",
            code="plan_without_price",
        )
    client = _client()
    try:
        current = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id)
        item_id = current["items"]["data"][0]["id"]
        client.v1.subscriptions.update(
            subscription.stripe_subscription_id,
            params={
                "items": [{"id": item_id, "price": plan.stripe_price_id}],
                "proration_behavior": "create_prorations",
                "metadata": {
                    "organization_id": str(subscription.organization_id),
                    "plan": plan.code,
                },
            },
        )
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc


def cancel_subscription(*, subscription: Subscription) -> None:
    try:
        _client().v1.subscriptions.cancel(subscription.stripe_subscription_id)
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
