"""Stripe webhook events: verified with ``stripe.Webhook.construct_event``, applied once each."""

import json
import logging
import time

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from apps.core.errors import DomainError
from apps.orgs.models import Organization

from . import stripe_adapter
from .models import ChangeSource, Plan, StripeEvent, Subscription, SubscriptionStatus
from .services import subscription_change_plan, subscription_set_status
from .subscriptions import default_plan

logger = logging.getLogger(__name__)

ACTIVE = {"active", "trialing"}
PAST_DUE = {"past_due", "unpaid", "incomplete"}
ENDED = {"canceled", "incomplete_expired"}


# Stripe's library refuses events signed more than 5 minutes ago; the same bound applies to
# events stamped in the future (a skewed or forged clock), as docs/billing.md states.
TOLERANCE_SECONDS = 300


class WebhookRejected(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def receive(*, payload: bytes, signature: str | None) -> dict:
    """Verify and apply one event; raise WebhookRejected for what Stripe should not resend."""
    if not stripe_adapter.is_enabled():
        raise WebhookRejected(404, "stripe_disabled", "Stripe is not configured here.")
    try:
        stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected(
            400, "invalid_signature", "The Stripe signature does not match."
        ) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:  # not JSON, not an object
        raise WebhookRejected(400, "invalid_payload", "The body is not a Stripe event.") from exc
    _check_not_from_the_future(signature)
    event_id, event_type, obj = _parts(json.loads(payload))
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event_id, type=event_type[:100])
        except IntegrityError:
            return {"received": True, "duplicate": True}
        handler = HANDLERS.get(event_type)
        if handler is None:
            return {"received": True, "handled": False}
        try:
            handler(obj)
        except DomainError as exc:  # resending would not help: keep the event, say why
            logger.warning("stripe event %s not applied: %s", event_id, exc.message)
            return {"received": True, "handled": False, "reason": exc.code}
        except (TypeError, ValueError, AttributeError, KeyError, DjangoValidationError) as exc:
            # A field of the wrong shape (a list for an id, words for an organization id):
            # the same body fails the same way every time, so it is the sender's error.
            logger.warning("stripe event %s has a malformed object: %r", event_id, exc)
            raise WebhookRejected(
                400, "invalid_payload", f"The event's {event_type} object is malformed."
            ) from exc
    return {"received": True, "handled": True}


def _check_not_from_the_future(signature: str) -> None:
    stamps = [
        part.split("=", 1)[1] for part in signature.split(",") if part.strip().startswith("t=")
    ]
    try:
        timestamp = int(stamps[0])
    except (IndexError, ValueError) as exc:
        raise WebhookRejected(400, "invalid_signature", "The signature has no timestamp.") from exc
    if timestamp > time.time() + TOLERANCE_SECONDS:
        raise WebhookRejected(
            400,
            "timestamp_out_of_tolerance",
            "The event is stamped more than 5 minutes in the future; check the sender's clock.",
        )


def _parts(event) -> tuple[str, str, dict]:
    """(id, type, data.object) of a Stripe event, or WebhookRejected when it has no such shape."""
    data = event.get("data") if isinstance(event, dict) else None
    obj = data.get("object") if isinstance(data, dict) else None
    event_id, event_type = (event.get("id"), event.get("type")) if data is not None else (0, 0)
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 100 and isinstance(obj, dict)):
        raise WebhookRejected(400, "invalid_payload", "The event has no id or object.")
    if not isinstance(event_type, str):
        raise WebhookRejected(400, "invalid_payload", "The event has no type.")
    return event_id, event_type, obj


def _metadata(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _subscription_by_stripe(obj: dict, *, by_customer: bool = True) -> Subscription | None:
    is_subscription = obj.get("object") == "subscription"
    stripe_id = obj.get("id") if is_subscription else obj.get("subscription")
    found = None
    if stripe_id:
        found = Subscription.objects.filter(stripe_subscription_id=stripe_id).first()
    if found is None and by_customer and obj.get("customer"):
        found = Subscription.objects.filter(stripe_customer_id=obj["customer"]).first()
    if found is None and is_subscription and _metadata(obj).get("organization_id"):
        # A subscription event can overtake its checkout.session.completed.
        found = Subscription.objects.filter(
            organization_id=_metadata(obj)["organization_id"]
        ).first()
        if found is not None:
            found.stripe_subscription_id = obj.get("id") or ""
            found.stripe_customer_id = obj.get("customer") or found.stripe_customer_id
            found.save(update_fields=["stripe_subscription_id", "stripe_customer_id"])
    return found


def _plan_of(obj: dict) -> Plan | None:
    code = _metadata(obj).get("plan")
    if code:
        return Plan.objects.filter(code=code).first()
    items = (obj.get("items") or {}).get("data") or []
    price_id = ((items[0].get("price") or {}).get("id")) if items else None
    return Plan.objects.filter(stripe_price_id=price_id).first() if price_id else None


def _checkout_completed(obj: dict) -> None:
    organization_id = _metadata(obj).get("organization_id") or obj.get("client_reference_id")
    organization = Organization.objects.filter(pk=organization_id).first()
    plan = _plan_of(obj)
    if organization is None or plan is None:
        raise DomainError("checkout without a known organization or plan", code="unknown_target")
    subscription_change_plan(
        organization=organization,
        plan=plan,
        source=ChangeSource.STRIPE,
        force=True,
        stripe_customer_id=obj.get("customer") or "",
        stripe_subscription_id=obj.get("subscription") or "",
    )


def _subscription_updated(obj: dict) -> None:
    subscription = _subscription_by_stripe(obj)
    if subscription is None:
        raise DomainError("no organization has this subscription", code="unknown_subscription")
    status = obj.get("status", "active")
    if status in ENDED:
        _subscription_deleted(obj)
        return
    plan = _plan_of(obj)
    if plan is not None and plan.pk != subscription.plan_id:
        subscription_change_plan(
            organization=subscription.organization,
            plan=plan,
            source=ChangeSource.STRIPE,
            force=True,
        )
    subscription_set_status(
        organization=subscription.organization,
        status=SubscriptionStatus.PAST_DUE if status in PAST_DUE else SubscriptionStatus.ACTIVE,
    )


def _subscription_deleted(obj: dict) -> None:
    # Only the subscription itself: an old one of the same customer ending changes nothing.
    subscription = Subscription.objects.filter(stripe_subscription_id=obj.get("id") or "-").first()
    if subscription is None:
        raise DomainError("no organization has this subscription", code="unknown_subscription")
    subscription_change_plan(
        organization=subscription.organization,
        plan=default_plan(),
        source=ChangeSource.STRIPE,
        force=True,
        stripe_subscription_id="",
    )


def _invoice_status(status: str):
    def handle(obj: dict) -> None:
        subscription = _subscription_by_stripe(obj)
        if subscription is None:
            raise DomainError("no organization has this customer", code="unknown_customer")
        subscription_set_status(organization=subscription.organization, status=status)

    return handle


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_updated,
    "customer.subscription.updated": _subscription_updated,
    "customer.subscription.deleted": _subscription_deleted,
    "invoice.paid": _invoice_status(SubscriptionStatus.ACTIVE),
    "invoice.payment_failed": _invoice_status(SubscriptionStatus.PAST_DUE),
}
