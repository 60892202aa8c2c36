"""Staff put organizations on plans (Enterprise included) and settle invoices in the admin;
the periodic tasks are on the beat schedule."""

import pytest

from apps.billing.invoicing import invoice_generate
from apps.billing.models import Plan, Subscription, SubscriptionChange
from apps.billing.periods import current_period
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_put_an_organization_on_enterprise_in_the_admin(staff_client, org_a):
    subscription = Subscription.objects.get(organization=org_a)
    enterprise = Plan.objects.get(code="enterprise")
    response = staff_client.post(
        f"/admin/billing/subscription/{subscription.pk}/change/",
        {
            "plan": enterprise.pk,
            "status": "active",
            "stripe_customer_id": "",
            "stripe_subscription_id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription.refresh_from_db()
    assert subscription.plan == enterprise
    change = SubscriptionChange.objects.get(organization=org_a)
    assert change.source == "staff" and change.to_plan == enterprise


def test_staff_mark_an_open_invoice_paid_with_the_admin_action(staff_client, org_a, put_on_plan):
    put_on_plan(org_a, "team")
    invoice = invoice_generate(organization=org_a, period=current_period())
    response = staff_client.post(
        "/admin/billing/invoice/",
        {"action": "mark_paid", "_selected_action": [invoice.pk]},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_the_flush_and_the_invoices_are_on_the_beat_schedule():
    from qorrelate.celery import collect_beat_schedule

    tasks = {entry["task"] for entry in collect_beat_schedule().values()}
    assert {"billing.flush_usage", "billing.generate_invoices"} <= tasks
