from django import forms


class PrivacySettingsForm(forms.Form):
    audit_new_sessions = forms.BooleanField(
        required=False, label="Audit the first chunk of every new session"
    )
    nightly_sample_percent = forms.FloatField(
        min_value=0, max_value=100, label="Nightly sample (% of yesterday's sessions)"
    )
    nightly_max_sessions = forms.IntegerField(
        min_value=0, max_value=10_000, label="At most (sessions per night)"
    )
    auto_redact = forms.BooleanField(
        required=False,
        label="Auto-redact",
        help_text="Rewrite a chunk with the found values masked; the replay stays playable.",
    )


class NetworkHeadersForm(forms.Form):
    headers = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "x-tenant-token"}),
        help_text="One header name per line (or comma-separated); case does not matter.",
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data.get("headers", "")
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]
