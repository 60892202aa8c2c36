"""The Sampling settings page: the policy, the ordered rules, and recent decisions."""

from django.contrib import messages
from django.shortcuts import redirect, render

from apps.core.errors import DomainError
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView

from .. import selectors, services
from ..forms import SamplingPolicyForm, SegmentRuleForm
from ..models import DecisionState
from .activity import daily_bars

RECENT = 25


class SamplingView(OrganizationView):
    write_role = Role.ADMIN

    def get(self, request, *, organization, membership, **kwargs):
        policy = selectors.sampling_policy(organization=organization)
        form = SamplingPolicyForm(
            initial={
                "normal_rate": policy.normal_rate,
                "idle_minutes": policy.idle_minutes,
                "min_duration_seconds": policy.min_duration_ms // 1000,
                "drop_grace_minutes": policy.drop_grace_minutes,
            }
        )
        return self._render(request, organization, form, SegmentRuleForm())

    def post(self, request, *, organization, membership, **kwargs):
        action = request.POST.get("action", "")
        policy_form, rule_form = None, SegmentRuleForm()
        try:
            if action == "policy":
                policy_form = SamplingPolicyForm(request.POST)
                if not policy_form.is_valid():
                    return self._render(request, organization, policy_form, rule_form, 400)
                data = policy_form.cleaned_data
                services.sampling_policy_update(
                    organization=organization,
                    normal_rate=data["normal_rate"],
                    idle_minutes=data["idle_minutes"],
                    min_duration_ms=data["min_duration_seconds"] * 1000,
                    drop_grace_minutes=data["drop_grace_minutes"],
                )
                messages.success(request, "Sampling policy saved.")
            elif action == "add_rule":
                rule_form = SegmentRuleForm(request.POST)
                if not rule_form.is_valid():
                    return self._render(request, organization, None, rule_form, 400)
                services.rule_create(organization=organization, **rule_form.cleaned_data)
                messages.success(request, "Segment rule added.")
            elif action in ("enable", "disable"):
                services.rule_update(
                    organization=organization,
                    rule_id=_int(request.POST.get("rule_id")),
                    enabled=action == "enable",
                )
            elif action in ("up", "down"):
                services.rule_move(
                    organization=organization,
                    rule_id=_int(request.POST.get("rule_id")),
                    offset=-1 if action == "up" else 1,
                )
            elif action == "rate":
                services.rule_update(
                    organization=organization,
                    rule_id=_int(request.POST.get("rule_id")),
                    rate=request.POST.get("rate"),
                )
                messages.success(request, "Rate saved.")
            elif action == "delete":
                services.rule_delete(
                    organization=organization, rule_id=_int(request.POST.get("rule_id"))
                )
                messages.success(request, "Rule deleted.")
            else:
                raise DomainError("Unknown action.", code="invalid_action")
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, organization, policy_form, rule_form, exc.status)
        return redirect("sampling", org_slug=organization.slug)

    def _render(self, request, organization, policy_form, rule_form, status=200):
        if policy_form is None:
            policy = selectors.sampling_policy(organization=organization)
            policy_form = SamplingPolicyForm(
                initial={
                    "normal_rate": policy.normal_rate,
                    "idle_minutes": policy.idle_minutes,
                    "min_duration_seconds": policy.min_duration_ms // 1000,
                    "drop_grace_minutes": policy.drop_grace_minutes,
                }
            )
        user = (request.GET.get("user") or "").strip()[:255]
        dropped = selectors.decisions_search(
            organization=organization, state=DecisionState.DROPPED, user_id=user or None
        )[:RECENT]
        activity = selectors.worker_activity(organization=organization)
        return render(
            request,
            "lifecycle/sampling.html",
            {
                "organization": organization,
                "policy_form": policy_form,
                "rule_form": rule_form,
                "rules": selectors.rules_list(organization=organization),
                "dropped": dropped,
                "user_filter": user,
                "pending": selectors.pending_count(organization=organization),
                "activity": activity,
                "bars": daily_bars(
                    organization=organization,
                    names=["sampling_kept", "sampling_dropped"],
                    days=14,
                ),
                "can_edit": self.can(Role.ADMIN),
            },
            status=status,
        )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("No such sampling rule.", code="not_found", status=404) from None
