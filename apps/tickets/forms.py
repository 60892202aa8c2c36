"""Dashboard forms of the tickets pages (validation only; services do the work)."""

from django import forms

from .models import (
    DEFAULT_LINK_WINDOW_HOURS,
    MAX_LINK_WINDOW_HOURS,
    IntegrationKind,
    TicketSource,
)


class TicketCreateForm(forms.Form):
    source = forms.ChoiceField(choices=TicketSource.choices, initial=TicketSource.GENERIC)
    external_id = forms.CharField(
        max_length=255, label="Ticket number", help_text="Its id in the helpdesk, e.g. 4711."
    )
    subject = forms.CharField(max_length=500, required=False)
    url = forms.URLField(
        max_length=2048, required=False, label="Helpdesk URL", assume_scheme="https"
    )
    reporter_user_id = forms.CharField(
        max_length=255,
        required=False,
        label="Reporter user id",
        help_text="The id your app passes to identify(); links their recent sessions.",
    )
    reporter_email = forms.EmailField(required=False, label="Reporter e-mail")


class IntegrationForm(forms.Form):
    kind = forms.ChoiceField(choices=IntegrationKind.choices, label="Helpdesk")
    name = forms.CharField(max_length=100, required=False, help_text="e.g. Zendesk (EU)")
    link_window_hours = forms.IntegerField(
        min_value=1,
        max_value=MAX_LINK_WINDOW_HOURS,
        initial=DEFAULT_LINK_WINDOW_HOURS,
        label="Link sessions from the last … hours",
    )


class LinkWindowForm(forms.Form):
    link_window_hours = forms.IntegerField(min_value=1, max_value=MAX_LINK_WINDOW_HOURS)


class SigningSecretForm(forms.Form):
    secret = forms.CharField(
        min_length=16, max_length=200, label="The helpdesk's signing secret", strip=True
    )
