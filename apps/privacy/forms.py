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
