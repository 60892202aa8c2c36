"""Stripe: webhooks verified by the stripe library's signature check (signed here the way
Stripe signs, with a test secret, offline); checkout created through the stripe client against
a local stand-in for api.stripe.com."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from apps.billing.models import StripeEvent, SubscriptionChange
from apps.billing.selectors import subscription_for

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_5b0d7c3e9f1a4b2c8d6e"
URL = "/webhooks/stripe"


@pytest.fixture
def stripe_on(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_qorrelate"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return settings


def sign(payload: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix time>,v1=<HMAC-SHA256 of "t.payload">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def event(event_type: str, obj: dict, event_id: str = "evt_1") -> str:
    return json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}
    )


def post(client, payload: str, signature: str | None):
    headers = {"Stripe-Signature": signature} if signature is not None else {}
    return client.generic(
        "POST", URL, data=payload.encode(), content_type="application/json", headers=headers
    )


def checkout_completed(organization, plan="team", event_id="evt_checkout"):
    return event(
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "client_reference_id": str(organization.pk),
            "customer": "cus_123",
            "subscription": "sub_123",
            "metadata": {"organization_id": str(organization.pk), "plan": plan},
        },
        event_id,
    )


def test_a_validly_signed_checkout_completion_moves_the_organization_to_its_plan(
    client, stripe_on, org_a
):
    payload = checkout_completed(org_a)
    response = post(client, payload, sign(payload))

    assert response.status_code == 200
    assert response.json() == {"received": True, "handled": True}
    subscription = subscription_for(organization=org_a)
    assert subscription.plan.code == "team"
    assert (subscription.stripe_customer_id, subscription.stripe_subscription_id) == (
        "cus_123",
        "sub_123",
    )


@pytest.mark.parametrize(
    "case",
    ["wrong secret", "tampered body", "no header", "stale timestamp", "garbage header"],
)
def test_an_invalid_signature_is_a_400_json_error_and_changes_nothing(
    client, stripe_on, org_a, case
):
    payload = checkout_completed(org_a)
    signature = {
        "wrong secret": sign(payload, secret="whsec_somebody_else"),
        "tampered body": sign(payload.replace('"team"', '"free"')),
        "no header": None,
        "stale timestamp": sign(payload, timestamp=int(time.time()) - 3600),
        "garbage header": "not-a-signature",
    }[case]

    response = post(client, payload, signature)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert subscription_for(organization=org_a).plan.code == "free"
    assert not StripeEvent.objects.exists()


def test_a_signed_body_that_is_not_json_is_a_400_not_a_500(client, stripe_on):
    payload = "this is {not json"
    response = post(client, payload, sign(payload))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_an_event_delivered_twice_is_applied_once(client, stripe_on, org_a):
    payload = checkout_completed(org_a)
    assert post(client, payload, sign(payload)).json() == {"received": True, "handled": True}
    again = post(client, payload, sign(payload))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert SubscriptionChange.objects.filter(organization=org_a).count() == 1


def test_a_canceled_stripe_subscription_returns_the_organization_to_free(client, stripe_on, org_a):
    first = checkout_completed(org_a, plan="business")
    post(client, first, sign(first))
    payload = event(
        "customer.subscription.deleted",
        {"id": "sub_123", "object": "subscription", "customer": "cus_123", "status": "canceled"},
        "evt_deleted",
    )
    assert post(client, payload, sign(payload)).status_code == 200
    subscription = subscription_for(organization=org_a)
    assert subscription.plan.code == "free" and subscription.stripe_subscription_id == ""


def test_a_failed_payment_marks_the_subscription_past_due(client, stripe_on, org_a):
    first = checkout_completed(org_a)
    post(client, first, sign(first))
    payload = event(
        "invoice.payment_failed",
        {"id": "in_1", "object": "invoice", "customer": "cus_123", "subscription": "sub_123"},
        "evt_failed",
    )
    assert post(client, payload, sign(payload)).status_code == 200
    assert subscription_for(organization=org_a).status == "past_due"


def test_an_event_for_nobody_is_acknowledged_and_ignored(client, stripe_on):
    payload = event(
        "customer.subscription.updated",
        {"id": "sub_unknown", "object": "subscription", "status": "active"},
        "evt_nobody",
    )
    response = post(client, payload, sign(payload))
    assert response.status_code == 200
    assert response.json()["handled"] is False


def test_without_stripe_keys_the_webhook_is_a_404_json(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = event("checkout.session.completed", {})
    response = post(client, payload, sign(payload))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "stripe_disabled"


def test_a_get_on_the_webhook_is_a_405_json(client, stripe_on):
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


class FakeStripe(BaseHTTPRequestHandler):
    requests: list = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        FakeStripe.requests.append((self.path, parse_qs(body), self.headers["Authorization"]))
        reply = json.dumps(
            {
                "id": "cs_test_42",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_42",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_stripe_api(stripe_on):
    server = HTTPServer(("127.0.0.1", 0), FakeStripe)
    FakeStripe.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stripe_on.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield FakeStripe.requests
    server.shutdown()


def test_with_stripe_an_upgrade_sends_the_owner_to_checkout_and_waits_for_the_webhook(
    client, org_a, alice, fake_stripe_api
):
    client.force_login(alice)
    response = client.post(f"/o/{org_a.slug}/billing/plan/", {"plan": "team"})

    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_42"
    path, params, auth = fake_stripe_api[0]
    assert path == "/v1/checkout/sessions"
    assert auth == "Bearer sk_test_qorrelate"
    assert params["mode"] == ["subscription"]
    assert params["metadata[plan]"] == ["team"]
    assert params["metadata[organization_id]"] == [str(org_a.pk)]
    assert params["line_items[0][price_data][unit_amount]"] == ["9900"]
    assert params["customer_email"] == ["alice@acme.test"]
    assert subscription_for(organization=org_a).plan.code == "free"  # until Stripe confirms


def test_with_stripe_the_api_answers_202_with_the_checkout_url(
    owner_client, org_a, fake_stripe_api
):
    response = owner_client.patch("/api/v1/subscription", {"plan": "business"}, format="json")
    assert response.status_code == 202
    assert response.json() == {"checkout_url": "https://checkout.stripe.com/c/pay/cs_test_42"}


def test_an_event_stamped_ten_minutes_in_the_future_is_refused(client, stripe_on, org_a):
    payload = checkout_completed(org_a)
    response = post(client, payload, sign(payload, timestamp=int(time.time()) + 600))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "timestamp_out_of_tolerance"
    assert subscription_for(organization=org_a).plan.code == "free"
    assert not StripeEvent.objects.exists()


def test_an_event_stamped_a_minute_ahead_is_accepted(client, stripe_on, org_a):
    payload = checkout_completed(org_a)
    response = post(client, payload, sign(payload, timestamp=int(time.time()) + 60))
    assert response.status_code == 200
    assert subscription_for(organization=org_a).plan.code == "team"


def test_an_event_signed_ten_minutes_ago_is_refused(client, stripe_on, org_a):
    payload = checkout_completed(org_a)
    response = post(client, payload, sign(payload, timestamp=int(time.time()) - 600))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "[1, 2, 3]",
        '{"id": ["evt"], "type": "invoice.paid", "data": {"object": {}}}',
        '{"id": "evt_x", "type": 7, "data": {"object": {}}}',
        '{"id": "' + "e" * 300 + '", "type": "invoice.paid", "data": {"object": {}}}',
        '{"id": "evt_y", "type": "checkout.session.completed", "data": {"object": '
        '{"metadata": {"organization_id": "not-a-number", "plan": "team"}}}}',
        '{"id": "evt_z", "type": "checkout.session.completed", "data": {"object": '
        '{"metadata": ["not", "a", "dict"]}}}',
    ],
    ids=["array", "list id", "number type", "long id", "word org id", "list metadata"],
)
def test_a_signed_but_malformed_event_is_a_400_that_stripe_need_not_retry_forever(
    client, stripe_on, payload
):
    response = post(client, payload, sign(payload))
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_payload"
    assert not StripeEvent.objects.exists()
