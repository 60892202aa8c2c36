from django import forms

from .models import PrivacyMode, Role


class SignupForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    organization_name = forms.CharField(max_length=120, label="Organization name")


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    allowed_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://app.example.com"}),
        help_text="One origin per line. Empty means recordings are accepted from any origin.",
    )
    privacy_mode = forms.ChoiceField(choices=PrivacyMode.choices)

    def origins(self) -> list[str]:
        raw = self.cleaned_data.get("allowed_origins", "")
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]


class KeyForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=[("api", "API key (REST)"), ("ingest", "Ingest key (OTLP)")])
    scope = forms.ChoiceField(choices=[("read", "Read"), ("write", "Read and write")])


class NewOrganizationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Organization name")
