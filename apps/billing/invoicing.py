"""Monthly invoices: the plan in force at the period's end, its base price, and the overage per
unit above each quota on paid plans. Generating an invoice twice finds the first one."""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization

from .models import Invoice, InvoiceLine, InvoiceStatus, LineKind, Plan, SubscriptionChange
from .periods import Period
from .subscriptions import subscription_ensure
from .usage import SESSIONS, TELEMETRY, period_totals

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineDraft:
    kind: str
    description: str
    quantity: int
    unit: str
    unit_price: Decimal
    amount_cents: int


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plan_at(*, organization: Organization, moment: datetime) -> Plan:
    """The plan in force at ``moment``, from the change history (else the current plan)."""
    before = (
        SubscriptionChange.objects.filter(organization=organization, created_at__lt=moment)
        .select_related("to_plan")
        .order_by("-created_at", "-id")
        .first()
    )
    if before is not None:
        return before.to_plan
    after = (
        SubscriptionChange.objects.filter(organization=organization, created_at__gte=moment)
        .select_related("from_plan")
        .order_by("created_at", "id")
        .first()
    )
    if after is not None and after.from_plan is not None:
        return after.from_plan
    return subscription_ensure(organization_id=organization.pk).plan


def build_lines(*, plan: Plan, period: Period, totals: dict[str, int]) -> list[LineDraft]:
    price = Decimal(plan.price_cents) / 100
    lines = [
        LineDraft(
            LineKind.BASE,
            f"{plan.name} plan, {period.label}",
            1,
            "month",
            price,
            plan.price_cents,
        )
    ]
    if plan.hard_limit:
        return lines  # Free stops at its quota; there is never an overage to bill
    sessions = totals.get(SESSIONS, 0)
    telemetry = sum(totals.get(metric, 0) for metric in TELEMETRY)
    overages = [
        (
            LineKind.SESSION_OVERAGE,
            sessions,
            plan.replay_sessions_quota,
            plan.session_overage_price,
            "replay sessions",
            "session",
        ),
        (
            LineKind.TELEMETRY_OVERAGE,
            telemetry,
            plan.telemetry_quota,
            plan.telemetry_overage_price,
            "spans and log records",
            "item",
        ),
    ]
    for kind, used, quota, unit_price, noun, unit in overages:
        if quota is None or used <= quota or not unit_price:
            continue
        over = used - quota
        lines.append(
            LineDraft(
                kind,
                f"{noun.capitalize()} over the {quota:,} included ({used:,} used)",
                over,
                unit,
                unit_price,
                cents(over * unit_price),
            )
        )
    return lines


def invoice_estimate(*, organization: Organization, period: Period) -> list[LineDraft]:
    """What the period's invoice says if it closed now (nothing is stored)."""
    plan = subscription_ensure(organization_id=organization.pk).plan
    totals = period_totals(organization_id=organization.pk, period=period)
    return build_lines(plan=plan, period=period, totals=totals)


def _number(organization: Organization, period: Period) -> str:
    return f"QZ-{period.start:%Y%m}-{organization.pk:06d}"


@transaction.atomic
def _write(*, organization: Organization, period: Period, finalize: bool) -> Invoice:
    invoice = (
        Invoice.objects.select_for_update()
        .filter(organization=organization, period_start=period.start)
        .first()
    )
    if invoice is not None and invoice.status != InvoiceStatus.DRAFT:
        return invoice  # issued invoices never change
    plan = plan_at(organization=organization, moment=period.end_datetime())
    totals = period_totals(organization_id=organization.pk, period=period, cached=False)
    lines = build_lines(plan=plan, period=period, totals=totals)
    if invoice is None:
        invoice = Invoice.objects.create(
            organization=organization,
            number=_number(organization, period),
            period_start=period.start,
            period_end=period.end,
            plan=plan,
            plan_name=plan.name,
            currency=plan.currency,
        )
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            organization=organization,
            invoice=invoice,
            position=position,
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            amount_cents=line.amount_cents,
        )
        for position, line in enumerate(lines)
    )
    invoice.plan = plan
    invoice.plan_name = plan.name
    invoice.total_cents = sum(line.amount_cents for line in lines)
    if finalize:
        now = timezone.now()
        invoice.issued_at = now
        # Nothing to collect on a zero invoice: it is settled when issued.
        invoice.status = InvoiceStatus.OPEN if invoice.total_cents else InvoiceStatus.PAID
        invoice.paid_at = None if invoice.total_cents else now
    invoice.save()
    return invoice


def invoice_generate(*, organization: Organization, period: Period, finalize: bool = True):
    """Create (or refresh a draft of) the period's invoice; issued ones are returned as is."""
    try:
        return _write(organization=organization, period=period, finalize=finalize)
    except IntegrityError:  # a concurrent run created it first
        return Invoice.objects.get(organization=organization, period_start=period.start)


def invoices_generate(*, period: Period, finalize: bool = True) -> int:
    """One invoice per organization that existed before the period ended."""
    count = 0
    organizations = Organization.objects.filter(created_at__lt=period.end_datetime()).order_by("pk")
    for organization in organizations.iterator():
        invoice_generate(organization=organization, period=period, finalize=finalize)
        count += 1
    return count


def invoice_set_status(*, organization: Organization, invoice_id: int, status: str) -> Invoice:
    """Staff (or Stripe) settle an invoice: open → paid, or anything unpaid → void."""
    try:
        invoice = Invoice.objects.get(pk=invoice_id, organization=organization)
    except Invoice.DoesNotExist as exc:
        raise NotFound("No such invoice.") from exc
    allowed = {
        InvoiceStatus.PAID: {InvoiceStatus.OPEN},
        InvoiceStatus.VOID: {InvoiceStatus.DRAFT, InvoiceStatus.OPEN},
        InvoiceStatus.OPEN: {InvoiceStatus.DRAFT},
    }
    if invoice.status == status:
        return invoice
    if invoice.status not in allowed.get(status, set()):
        raise DomainError(
            f"An invoice that is {invoice.status} cannot become {status}.",
            code="invalid_invoice_status",
        )
    now = timezone.now()
    invoice.status = status
    if status == InvoiceStatus.PAID:
        invoice.paid_at = now
    elif status == InvoiceStatus.VOID:
        invoice.voided_at = now
    else:
        invoice.issued_at = now
    invoice.save()
    return invoice
