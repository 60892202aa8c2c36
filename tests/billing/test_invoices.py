"""Monthly invoices: base price plus per-unit overage on paid plans, issued once per month,
and readable (and printable) by the organization only."""

from datetime import timedelta

import pytest

from apps.billing import rollups
from apps.billing.invoicing import invoice_generate, invoice_set_status
from apps.billing.models import Invoice, SubscriptionChange
from apps.billing.periods import current_period
from apps.billing.tasks import generate_invoices
from apps.core.errors import DomainError
from apps.orgs.models import Organization

pytestmark = pytest.mark.django_db


def add_usage(organization, day, **amounts):
    rollups.add(organization_id=organization.pk, day=day, amounts=amounts)


def test_a_team_invoice_bills_the_base_price_and_the_overage_per_unit(org_a, put_on_plan):
    put_on_plan(org_a, "team")
    period = current_period()
    add_usage(org_a, period.start, replay_sessions_started=7_000, spans_accepted=15_000_000)
    add_usage(org_a, period.last_day, replay_sessions_started=5_500, log_records_accepted=7_000_000)

    invoice = invoice_generate(organization=org_a, period=period)

    lines = [(line.kind, line.quantity, line.amount_cents) for line in invoice.lines.all()]
    assert lines == [
        ("base", 1, 99_00),
        ("session_overage", 2_500, 10_00),  # 12,500 - 10,000 included, at $0.004
        ("telemetry_overage", 2_000_000, 1_00),  # 22M - 20M included, at $0.0000005
    ]
    assert invoice.total_cents == 110_00
    assert invoice.status == "open" and invoice.issued_at is not None
    assert invoice.number == f"QZ-{period.start:%Y%m}-{org_a.pk:06d}"


def test_usage_within_the_quota_bills_only_the_base_price(org_a, put_on_plan):
    put_on_plan(org_a, "business")
    period = current_period()
    add_usage(org_a, period.start, replay_sessions_started=100_000, spans_accepted=1)
    invoice = invoice_generate(organization=org_a, period=period)
    assert [line.kind for line in invoice.lines.all()] == ["base"]
    assert invoice.total_cents == 499_00


def test_a_free_invoice_is_zero_and_settled_when_issued(org_a):
    period = current_period()
    add_usage(org_a, period.start, replay_sessions_started=1_000, spans_accepted=1_000_000)
    invoice = invoice_generate(organization=org_a, period=period)
    assert invoice.total_cents == 0
    assert invoice.status == "paid"


def _backdate(organization, days=62):
    Organization.objects.filter(pk=organization.pk).update(
        created_at=organization.created_at - timedelta(days=days)
    )


def test_the_monthly_task_issues_last_months_invoices_once_and_keeps_this_months_as_drafts(
    org_a, org_b, put_on_plan
):
    _backdate(org_a)
    _backdate(org_b)
    put_on_plan(org_a, "team")
    last_month = current_period().previous()
    # The plan changed before last month ended, so last month is billed at Team.
    SubscriptionChange.objects.filter(organization=org_a).update(
        created_at=last_month.start_datetime()
    )
    add_usage(org_a, last_month.start, replay_sessions_started=10_250)

    generate_invoices()
    first = Invoice.objects.get(organization=org_a, period_start=last_month.start)
    add_usage(org_a, last_month.start, replay_sessions_started=1_000)  # arrives too late
    generate_invoices()

    again = Invoice.objects.get(organization=org_a, period_start=last_month.start)
    assert again.pk == first.pk and again.total_cents == first.total_cents == 99_00 + 1_00
    assert again.status == "open"
    assert Invoice.objects.filter(organization=org_b, period_start=last_month.start).count() == 1
    draft = Invoice.objects.get(organization=org_a, period_start=current_period().start)
    assert draft.status == "draft" and draft.issued_at is None


def test_an_invoice_bills_the_plan_in_force_at_the_end_of_its_month(org_a, put_on_plan):
    _backdate(org_a)
    last_month = current_period().previous()
    put_on_plan(org_a, "business")  # upgraded this month: last month was still Free
    invoice = invoice_generate(organization=org_a, period=last_month)
    assert invoice.plan.code == "free" and invoice.total_cents == 0


def test_an_open_invoice_can_be_paid_and_a_paid_one_cannot_be_voided(org_a, put_on_plan):
    put_on_plan(org_a, "team")
    invoice = invoice_generate(organization=org_a, period=current_period())
    paid = invoice_set_status(organization=org_a, invoice_id=invoice.pk, status="paid")
    assert paid.status == "paid" and paid.paid_at is not None
    with pytest.raises(DomainError):
        invoice_set_status(organization=org_a, invoice_id=invoice.pk, status="void")


def test_the_invoice_page_lists_the_lines_and_prints_without_the_dashboard(
    client, org_a, alice, vera, put_on_plan
):
    put_on_plan(org_a, "team")
    add_usage(org_a, current_period().start, replay_sessions_started=10_250)
    invoice = invoice_generate(organization=org_a, period=current_period())
    client.force_login(vera)

    response = client.get(f"/o/{org_a.slug}/billing/invoices/{invoice.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert invoice.number in page
    assert "Team plan" in page
    assert "Replay sessions over the 10,000 included" in page
    assert 'id="invoice-total">$100.00' in page
    assert "data-print" in page  # static/src/pages/forms.js prints
    assert "billing/billing.css" in page

    listing = client.get(f"/o/{org_a.slug}/billing/")
    assert invoice.number in listing.content.decode()


def test_another_organizations_invoice_is_a_404_on_the_page_and_the_api(
    client, org_a, alice, org_b, charlie, owner_client
):
    theirs = invoice_generate(organization=org_b, period=current_period())
    client.force_login(alice)
    assert client.get(f"/o/{org_a.slug}/billing/invoices/{theirs.pk}/").status_code == 404
    assert owner_client.get(f"/api/v1/invoices/{theirs.pk}").status_code == 404


def test_the_invoices_api_lists_the_organizations_invoices_with_lines(
    owner_client, org_a, alice, org_b, put_on_plan
):
    put_on_plan(org_a, "team")
    mine = invoice_generate(organization=org_a, period=current_period())
    invoice_generate(organization=org_b, period=current_period())

    listing = owner_client.get("/api/v1/invoices").json()
    assert [row["number"] for row in listing["results"]] == [mine.number]
    assert listing["results"][0]["lines"][0]["kind"] == "base"
    detail = owner_client.get(f"/api/v1/invoices/{mine.pk}").json()
    assert detail["total_cents"] == 99_00 and detail["plan"] == "team"
