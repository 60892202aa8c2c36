from django import forms


class SamplingPolicyForm(forms.Form):
    normal_rate = forms.FloatField(
        min_value=0,
        max_value=100,
        label="Normal rate (%)",
        help_text="Share of the remaining sessions kept, chosen from a hash of the session id.",
    )
    idle_minutes = forms.IntegerField(
        min_value=1,
        max_value=1440,
        label="Finished after (minutes idle)",
        help_text="A session with no new batch for this long is decided. Ended sessions sooner.",
    )
    min_duration_seconds = forms.IntegerField(
        min_value=0,
        max_value=86400,
        label="Minimum duration (seconds)",
        help_text="Shorter sessions are dropped unless an error or ticket rule keeps them.",
    )
    drop_grace_minutes = forms.IntegerField(
        min_value=0,
        max_value=7 * 24 * 60,
        label="Grace before deleting a drop (minutes)",
        help_text="A ticket link in this window still rescues a dropped session.",
    )


class SegmentRuleForm(forms.Form):
    name = forms.CharField(max_length=120)
    rate = forms.FloatField(min_value=0, max_value=100, initial=100, label="Rate (%)")
    user_ids = forms.CharField(
        required=False,
        label="User ids",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "one per line"}),
    )
    user_pattern = forms.CharField(
        required=False, max_length=200, label="User id pattern", help_text="e.g. beta-*"
    )
    url_pattern = forms.CharField(
        required=False, max_length=500, label="URL pattern", help_text="e.g. */checkout*"
    )
    event_name = forms.CharField(required=False, max_length=200, label="Custom event name")
    identified_only = forms.BooleanField(required=False, label="Identified users only")


class RetentionPolicyForm(forms.Form):
    normal_days = forms.IntegerField(min_value=1, label="Normal sessions (days)")
    error_days = forms.IntegerField(min_value=1, label="Sessions with errors (days)")
    ticket_grace_days = forms.IntegerField(min_value=0, label="After a linked ticket closes (days)")
    telemetry_days = forms.IntegerField(min_value=1, label="Traces and logs (days)")
