"""Dashboard pages: usage and billing, plan changes (owners), invoices."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.core.errors import DomainError
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from . import selectors, stripe_adapter
from .chart import usage_chart
from .invoicing import invoice_estimate
from .models import Invoice, Metric
from .periods import current_period, utc_today
from .plan_changes import plan_change_request

CHECKOUT_MESSAGES = {
    "success": "Payment received by Stripe: your plan changes as soon as Stripe confirms it.",
    "canceled": "Checkout canceled; your plan did not change.",
}


def _charts(days, plan, today) -> list[dict]:
    sessions = [(d.day, d.values[Metric.REPLAY_SESSIONS_STARTED]) for d in days]
    telemetry = [
        (d.day, d.values[Metric.SPANS_ACCEPTED] + d.values[Metric.LOG_RECORDS_ACCEPTED])
        for d in days
    ]
    return [
        {
            "id": "sessions",
            "title": "Replay sessions",
            **usage_chart(days=sessions, quota=plan.replay_sessions_quota, today=today),
        },
        {
            "id": "telemetry",
            "title": "Spans and log records",
            **usage_chart(days=telemetry, quota=plan.telemetry_quota, today=today),
        },
    ]


def render_billing(request, *, organization, membership, status: int = 200):
    period = current_period()
    subscription = selectors.subscription_for(organization=organization)
    days = selectors.usage_daily(organization=organization, period=period)
    estimate = invoice_estimate(organization=organization, period=period)
    checkout = CHECKOUT_MESSAGES.get(request.GET.get("checkout", ""))
    return render(
        request,
        "billing/usage.html",
        {
            "organization": organization,
            "subscription": subscription,
            "plan": subscription.plan,
            "period": period,
            "meters": selectors.usage_meters(organization=organization, period=period),
            "charts": _charts(days, subscription.plan, utc_today()),
            "plans": selectors.plans_for(organization=organization),
            "bounds": selectors.plan_retention_bounds(organization=organization),
            "invoices": selectors.invoices_list(organization=organization)[:24],
            "estimate": estimate,
            "estimate_total": sum(line.amount_cents for line in estimate),
            "can_change_plan": membership.role == Role.OWNER,
            "stripe_enabled": stripe_adapter.is_enabled(),
            "checkout_message": checkout,
        },
        status=status,
    )


class BillingView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        return render_billing(request, organization=organization, membership=membership)


class PlanChangeView(OrganizationView):
    write_role = Role.OWNER

    def post(self, request, *, organization, membership, **kwargs):
        page = request.build_absolute_uri(reverse("billing", args=[organization.slug]))
        try:
            outcome = plan_change_request(
                organization=organization,
                plan_code=request.POST.get("plan", ""),
                user=request.user,
                success_url=f"{page}?checkout=success",
                cancel_url=f"{page}?checkout=canceled",
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return render_billing(
                request, organization=organization, membership=membership, status=exc.status
            )
        if outcome.checkout_url:
            return redirect(outcome.checkout_url)
        messages.success(
            request, f"{organization.name} is on the {outcome.subscription.plan} plan."
        )
        return redirect("billing", org_slug=organization.slug)


class InvoiceView(OrganizationView):
    def get(self, request, *, organization, membership, invoice_id, **kwargs):
        try:
            invoice = selectors.invoice_get(organization=organization, invoice_id=invoice_id)
        except Invoice.DoesNotExist as exc:
            raise Http404("No such invoice.") from exc
        return render(
            request,
            "billing/invoice.html",
            {"organization": organization, "invoice": invoice, "lines": invoice.lines.all()},
        )
