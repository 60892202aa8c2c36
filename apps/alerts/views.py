"""The Alerts settings page: the rules (admins make, change, test and delete them; everyone in
the organization sees them) and the delivery log."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from apps.core.errors import DomainError, NotFound
from apps.insights.kinds import LABELS
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from . import selectors, services
from .forms import AlertRuleForm
from .models import Channel, DeliveryStatus

LOG_ROWS = 50


def _describe(rule) -> None:
    rule.kind_labels = [LABELS.get(kind, kind) for kind in rule.finding_kinds]


class AlertsView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        return self._render(request, organization)

    def post(self, request, *, organization, membership, **kwargs):
        action = request.POST.get("action", "")
        if action == "create":
            form = AlertRuleForm(request.POST)
            if not form.is_valid():
                return self._render(request, organization, form=form, status=400)
            try:
                rule = services.rule_create(organization=organization, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                return self._render(request, organization, form=form, status=exc.status)
            if rule.channel == Channel.WEBHOOK:
                return self._render(request, organization, new_rule=rule)
            messages.success(request, f"Rule “{rule.name}” saved.")
            return redirect("alerts", org_slug=organization.slug)
        try:
            rule = selectors.rule_get(
                organization=organization, rule_id=request.POST.get("rule_id")
            )
            if action == "test":
                delivery = services.rule_send_test(organization=organization, rule=rule)
                if delivery.status == DeliveryStatus.SENT:
                    messages.success(request, f"Test sent to {rule.target}.")
                else:
                    messages.error(request, f"The test was not delivered: {delivery.last_error}")
            elif action in ("enable", "disable"):
                services.rule_update(
                    organization=organization, rule=rule, enabled=action == "enable"
                )
                messages.success(
                    request, f"Rule “{rule.name}” turned {'on' if action == 'enable' else 'off'}."
                )
            elif action == "rotate":
                rule = services.rule_rotate_secret(organization=organization, rule=rule)
                return self._render(request, organization, new_rule=rule)
            elif action == "delete":
                services.rule_delete(organization=organization, rule=rule)
                messages.success(request, f"Rule “{rule.name}” deleted.")
            else:
                messages.error(request, "Unknown action.")
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, organization, status=exc.status)
        return redirect("alerts", org_slug=organization.slug)

    def _render(self, request, organization, *, form=None, new_rule=None, status=200):
        rules = list(selectors.rules_list(organization=organization))
        for rule in rules:
            _describe(rule)
        return render(
            request,
            "alerts/alerts.html",
            {
                "organization": organization,
                "rules": rules,
                "form": form
                or AlertRuleForm(initial={"kind": "new_insight", "channel": "webhook"}),
                "new_rule": new_rule,
                "deliveries": list(
                    selectors.deliveries_search(organization=organization)[:LOG_ROWS]
                ),
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )


class AlertRuleEditView(OrganizationView):
    write_role = Role.ADMIN

    def _rule(self, organization, rule_id):
        try:
            return selectors.rule_get(organization=organization, rule_id=rule_id)
        except NotFound:
            raise Http404("No such alert rule.") from None

    def get(self, request, *, organization, membership, rule_id, **kwargs):
        rule = self._rule(organization, rule_id)
        form = AlertRuleForm(initial=AlertRuleForm.initial_for(rule))
        return self._render(request, organization, rule, form)

    def post(self, request, *, organization, membership, rule_id, **kwargs):
        rule = self._rule(organization, rule_id)
        form = AlertRuleForm(request.POST)
        if not form.is_valid():
            return self._render(request, organization, rule, form, status=400)
        try:
            rule = services.rule_update(organization=organization, rule=rule, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self._render(request, organization, rule, form, status=exc.status)
        messages.success(request, f"Rule “{rule.name}” saved.")
        return redirect("alerts", org_slug=organization.slug)

    def _render(self, request, organization, rule, form, status=200):
        return render(
            request,
            "alerts/rule_edit.html",
            {
                "organization": organization,
                "rule": rule,
                "form": form,
                "deliveries": list(
                    selectors.deliveries_search(organization=organization, rule=rule)[:LOG_ROWS]
                ),
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )
