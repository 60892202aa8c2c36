"""Query parameters of ``GET /api/v1/sessions``: validated by django-filter, applied by the
``sessions_filter`` selector; ordering by a backend the cursor paginator understands."""

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from apps.orgs.api.query import OFFSET_MESSAGE, offset_in_range

from ..models import MarkKind, Session
from ..protocol import FINDING_KINDS
from ..selectors import DEFAULT_ORDERING, ORDERINGS, sessions_filter

# The kinds a finding can have (apps/insights), as the protocol schema names them.
FINDING_CHOICES = [(value, label) for value, label in MarkKind.choices if value in FINDING_KINDS]


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class StrictBooleanField(forms.Field):
    """true/false/1/0; anything else is an error rather than silently "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError("Use true or false.") from None


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's BooleanWidget turns unknown words into None before validation.
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class BoundedIsoDateTimeField(IsoDateTimeField):
    def clean(self, value):
        cleaned = super().clean(value)
        if not offset_in_range(cleaned):
            raise forms.ValidationError(OFFSET_MESSAGE)
        return cleaned


class IsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class SessionFilter(filters.FilterSet):
    user_id = filters.CharFilter(help_text="Sessions of this user id (identify()).")
    url = filters.CharFilter(help_text="Sessions that visited a URL containing this text.")
    has_errors = StrictBooleanFilter(
        help_text="With (true) or without (false) console errors, uncaught errors or failed "
        "requests."
    )
    error = filters.CharFilter(help_text="Sessions with an error message containing this text.")
    min_duration_ms = IntegerFilter(min_value=0, help_text="Duration at least this (ms).")
    max_duration_ms = IntegerFilter(min_value=0, help_text="Duration at most this (ms).")
    started_after = IsoDateTimeFilter(help_text="Started at or after (ISO 8601).")
    started_before = IsoDateTimeFilter(help_text="Started before (ISO 8601).")
    browser = filters.CharFilter(help_text="Browser family, e.g. Chrome, Firefox, Safari.")
    trace_id = filters.CharFilter(help_text="Sessions whose requests carried this trace id.")
    finding = filters.ChoiceFilter(
        choices=[("any", "Any finding"), *FINDING_CHOICES],
        help_text="Sessions where the detectors found this (any: at least one finding).",
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return sessions_filter(
            queryset,
            organization=self.request.organization,
            user_id=data.get("user_id") or None,
            url_contains=data.get("url") or None,
            has_errors=data.get("has_errors"),
            error_contains=data.get("error") or None,
            min_duration_ms=data.get("min_duration_ms"),
            max_duration_ms=data.get("max_duration_ms"),
            started_after=data.get("started_after"),
            started_before=data.get("started_before"),
            browser=data.get("browser") or None,
            trace_id=data.get("trace_id") or None,
            finding=data.get("finding") or None,
        )


class SessionOrdering(BaseFilterBackend):
    """``ordering`` = start | duration | errors, with ``-`` for descending (default ``-start``).
    The tie-breaker is the row id, so cursor pages never skip or repeat a session."""

    param = "ordering"

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        value = request.query_params.get(self.param) or DEFAULT_ORDERING
        if value not in ORDERINGS:
            raise ValidationError(
                {self.param: [f"Use one of {', '.join(ORDERINGS)} (not {value!r:.40})."]}
            )
        return ORDERINGS[value]

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Sort by start, duration or errors; prefix - for descending.",
                "schema": {"type": "string", "enum": list(ORDERINGS), "default": DEFAULT_ORDERING},
            }
        ]
