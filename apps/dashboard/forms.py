"""The list pages' query strings, validated into selector arguments."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms

from apps.replay.selectors import DEFAULT_ORDERING

SORTS = [
    ("-start", "Newest first"),
    ("start", "Oldest first"),
    ("-duration", "Longest first"),
    ("duration", "Shortest first"),
    ("-errors", "Most errors first"),
]
TRISTATE = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SESSION_FILTER_FIELDS = (
    "user",
    "url",
    "has_errors",
    "error",
    "min_duration",
    "max_duration",
    "after",
    "before",
    "browser",
    "has_ticket",
    "trace",
    "sort",
)


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


class SessionFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=255, label="User id")
    url = forms.CharField(required=False, max_length=500, label="URL contains")
    has_errors = forms.ChoiceField(required=False, choices=TRISTATE, label="Has errors")
    error = forms.CharField(required=False, max_length=500, label="Error text")
    min_duration = forms.IntegerField(required=False, min_value=0, label="Min duration (s)")
    max_duration = forms.IntegerField(required=False, min_value=0, label="Max duration (s)")
    after = forms.DateField(required=False, label="From")
    before = forms.DateField(required=False, label="To")
    browser = forms.CharField(required=False, max_length=64)
    has_ticket = forms.ChoiceField(required=False, choices=TRISTATE, label="Has ticket")
    trace = forms.CharField(required=False, max_length=64, label="Trace id")
    sort = forms.ChoiceField(required=False, choices=SORTS)

    def search_kwargs(self) -> dict:
        """Keyword arguments for ``apps.replay.selectors.sessions_search`` (valid form only)."""
        data = self.cleaned_data
        kwargs = {
            "user_id": data["user"].strip() or None,
            "url_contains": data["url"].strip() or None,
            "has_errors": _tristate(data["has_errors"]),
            "error_contains": data["error"].strip() or None,
            "browser": data["browser"].strip() or None,
            "trace_id": data["trace"].strip() or None,
            "ordering": data["sort"] or DEFAULT_ORDERING,
        }
        if data["min_duration"] is not None:
            kwargs["min_duration_ms"] = data["min_duration"] * 1000
        if data["max_duration"] is not None:
            kwargs["max_duration_ms"] = data["max_duration"] * 1000
        if data["after"]:
            kwargs["started_after"] = _day_start(data["after"])
        if data["before"]:
            kwargs["started_before"] = _day_start(data["before"] + timedelta(days=1))
        return kwargs

    @property
    def wants_ticket(self) -> bool | None:
        return _tristate(self.cleaned_data.get("has_ticket", ""))

    def active(self) -> dict[str, str]:
        """The filters in use (not the sort), as submitted: for chips and saved filters."""
        return {
            name: str(self.data.get(name)).strip()
            for name in SESSION_FILTER_FIELDS
            if name != "sort" and str(self.data.get(name, "")).strip()
        }

    def query_string(self, **overrides) -> str:
        values = {
            name: str(self.data.get(name)).strip()
            for name in SESSION_FILTER_FIELDS
            if str(self.data.get(name, "")).strip()
        }
        values.update({k: v for k, v in overrides.items() if v not in (None, "")})
        for key, value in overrides.items():
            if value in (None, ""):
                values.pop(key, None)
        return urlencode(values)


class SavedFilterForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name")
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)


class TraceFilterForm(forms.Form):
    trace = forms.CharField(required=False, max_length=64, label="Trace id")
    session = forms.CharField(required=False, max_length=128, label="Session id")
    service = forms.CharField(required=False, max_length=200)
    name = forms.CharField(required=False, max_length=500, label="Span name")
    has_errors = forms.ChoiceField(required=False, choices=TRISTATE, label="Errors")
    attr = forms.CharField(required=False, max_length=500, label="Attribute", help_text="key=value")
    before = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_attr(self):
        value = self.cleaned_data["attr"].strip()
        if value and "=" not in value:
            raise forms.ValidationError("Write the attribute as key=value.")
        return value

    def search_kwargs(self) -> dict:
        data = self.cleaned_data
        attributes = {}
        if data["attr"]:
            key, _, val = data["attr"].partition("=")
            attributes[key.strip()] = val.strip()
        if data["session"].strip():
            attributes["session.id"] = data["session"].strip()
        return {
            "attributes": attributes or None,
            "service": data["service"].strip() or None,
            "name": data["name"].strip() or None,
            "is_error": _tristate(data["has_errors"]),
        }
