import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.insights.kinds import CHOICES as FINDING_KIND_CHOICES
from apps.insights.models import Severity

from .models import Channel, RuleKind
from .services import MAX_EMAILS


class AlertRuleForm(forms.Form):
    name = forms.CharField(
        max_length=120, widget=forms.TextInput(attrs={"placeholder": "e.g. Checkout problems"})
    )
    kind = forms.ChoiceField(choices=RuleKind.choices, label="When", widget=forms.RadioSelect)
    threshold_sessions = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        label="Sessions in an hour",
        widget=forms.NumberInput(attrs={"data-show-if": "kind=threshold"}),
        help_text="Threshold rules only: how many sessions in the last hour set it off.",
    )
    finding_kinds = forms.MultipleChoiceField(
        choices=FINDING_KIND_CHOICES,
        required=False,
        label="Kinds",
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every kind.",
    )
    min_severity = forms.TypedChoiceField(
        choices=Severity.choices, coerce=int, initial=Severity.LOW, label="Minimum severity"
    )
    channel = forms.ChoiceField(choices=Channel.choices, label="Send to", widget=forms.RadioSelect)
    webhook_url = forms.URLField(
        required=False,
        max_length=500,
        label="Webhook URL",
        assume_scheme="https",
        widget=forms.URLInput(attrs={"data-show-if": "channel=webhook"}),
        help_text="Signed with the rule's secret (shown once, when the rule is made).",
    )
    emails = forms.CharField(
        required=False,
        label="E-mail addresses",
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": "one per line or comma-separated",
                "data-show-if": "channel=email",
            }
        ),
    )
    enabled = forms.BooleanField(required=False, initial=True, label="On")

    def clean_emails(self) -> list[str]:
        emails = [e for e in re.split(r"[\s,;]+", self.cleaned_data.get("emails") or "") if e]
        if len(emails) > MAX_EMAILS:
            raise ValidationError(f"At most {MAX_EMAILS} addresses.")
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(f"{email[:80]} is not an e-mail address.") from None
        return emails

    def clean(self):
        data = super().clean()
        if data.get("kind") == RuleKind.THRESHOLD and not data.get("threshold_sessions"):
            self.add_error("threshold_sessions", "A threshold rule needs a number of sessions.")
        if data.get("channel") == Channel.WEBHOOK and not data.get("webhook_url"):
            self.add_error("webhook_url", "Where should the webhook go?")
        if data.get("channel") == Channel.EMAIL and not data.get("emails"):
            self.add_error("emails", "At least one address.")
        return data

    @classmethod
    def initial_for(cls, rule) -> dict:
        return {
            "name": rule.name,
            "kind": rule.kind,
            "threshold_sessions": rule.threshold_sessions,
            "finding_kinds": rule.finding_kinds,
            "min_severity": rule.min_severity,
            "channel": rule.channel,
            "webhook_url": rule.webhook_url,
            "emails": "\n".join(rule.emails),
            "enabled": rule.enabled,
        }
