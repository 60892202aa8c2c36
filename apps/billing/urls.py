"""Billing URLs: the usage page and invoices (dashboard), the REST endpoints, Stripe's webhook."""

from django.urls import path, re_path

from . import views, webhook_views
from .api import views as api

org_urlpatterns = [
    path("billing/", views.BillingView.as_view(), name="billing"),
    path("billing/plan/", views.PlanChangeView.as_view(), name="billing_plan"),
    path(
        "billing/invoices/<int:invoice_id>/",
        views.InvoiceView.as_view(),
        name="billing_invoice",
    ),
]

api_urlpatterns = [
    re_path(r"^usage/?$", api.UsageView.as_view(), name="api_usage"),
    re_path(r"^subscription/?$", api.SubscriptionView.as_view(), name="api_subscription"),
    re_path(r"^invoices/?$", api.InvoiceListView.as_view(), name="api_invoices"),
    re_path(
        r"^invoices/(?P<invoice_id>[^/.]+)/?$",
        api.InvoiceDetailView.as_view(),
        name="api_invoice",
    ),
]

public_urlpatterns = [
    path("webhooks/stripe", webhook_views.stripe_webhook, name="stripe_webhook"),
]
