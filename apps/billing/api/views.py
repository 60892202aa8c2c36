"""GET /usage, GET/PATCH /subscription (PATCH: owners), GET /invoices, GET /invoices/{id}."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.orgs.api.base import OrganizationAPIView, OrganizationGenericAPIView
from apps.orgs.models import Role

from .. import selectors
from ..models import Invoice
from ..periods import current_period, parse_period
from ..plan_changes import plan_change_request
from .serializers import (
    CheckoutSerializer,
    InvoiceSerializer,
    PlanChangeSerializer,
    SubscriptionSerializer,
    UsageSerializer,
)


class UsageView(OrganizationAPIView):
    """Daily usage of every metric and the quotas, for one month (default: this one)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="A month as YYYY-MM (default: now)."
            )
        ],
        responses=UsageSerializer,
    )
    def get(self, request, **kwargs):
        raw = request.query_params.get("period")
        try:
            period = parse_period(raw) if raw else current_period()
        except ValueError as exc:
            raise exceptions.ValidationError({"period": "Write the month as YYYY-MM."}) from exc
        organization = self.organization
        meters = {
            m.key: m for m in selectors.usage_meters(organization=organization, period=period)
        }
        days = selectors.usage_daily(organization=organization, period=period)
        totals: dict[str, int] = {}
        for day in days:
            for metric, value in day.values.items():
                totals[metric] = totals.get(metric, 0) + value
        plan = selectors.subscription_for(organization=organization).plan
        data = {
            "period": {"start": period.start, "end": period.end},
            "plan": plan.code,
            "hard_limit": plan.hard_limit,
            "replay_sessions": _quota(meters["replay_sessions"]),
            "telemetry": _quota(meters["telemetry"]),
            "totals": totals,
            "days": [{"date": day.day, **day.values} for day in days],
        }
        return Response(UsageSerializer(data).data)


def _quota(meter) -> dict:
    return {"used": meter.used, "quota": meter.quota, "percent": meter.percent}


class SubscriptionView(OrganizationAPIView):
    """The plan, its status, period and retention bounds; owners change the plan with PATCH."""

    write_role = Role.OWNER

    @extend_schema(responses=SubscriptionSerializer)
    def get(self, request, **kwargs):
        subscription = selectors.subscription_for(organization=self.organization)
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(
        request=PlanChangeSerializer,
        responses={200: SubscriptionSerializer, 202: CheckoutSerializer},
        description="Without Stripe the plan changes at once (200). With Stripe, a first paid "
        "plan answers 202 with a checkout_url; the plan changes when Stripe confirms payment.",
    )
    def patch(self, request, **kwargs):
        serializer = PlanChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        page = request.build_absolute_uri(f"/o/{self.organization.slug}/billing/")
        outcome = plan_change_request(
            organization=self.organization,
            plan_code=serializer.validated_data["plan"],
            user=request.user if getattr(request.user, "pk", None) else None,
            success_url=f"{page}?checkout=success",
            cancel_url=f"{page}?checkout=canceled",
        )
        if outcome.checkout_url:
            return Response({"checkout_url": outcome.checkout_url}, status=status.HTTP_202_ACCEPTED)
        outcome.subscription.refresh_from_db()
        return Response(SubscriptionSerializer(outcome.subscription).data)


class InvoiceListView(OrganizationGenericAPIView):
    """Monthly invoices, newest first."""

    serializer_class = InvoiceSerializer

    def get_org_queryset(self, organization):
        return (
            selectors.invoices_list(organization=organization)
            .select_related("plan")
            .prefetch_related("lines")
        )

    @extend_schema(operation_id="invoices_list")
    def get(self, request, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class InvoiceDetailView(OrganizationAPIView):
    """One invoice with its lines."""

    @extend_schema(
        operation_id="invoices_retrieve",
        parameters=[OpenApiParameter("invoice_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=InvoiceSerializer,
    )
    def get(self, request, invoice_id: str, **kwargs):
        if not str(invoice_id).isdigit():
            raise exceptions.NotFound("No such invoice.")
        try:
            invoice = selectors.invoice_get(
                organization=self.organization, invoice_id=int(invoice_id)
            )
        except Invoice.DoesNotExist as exc:
            raise exceptions.NotFound("No such invoice.") from exc
        return Response(InvoiceSerializer(invoice).data)
