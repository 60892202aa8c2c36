"""REST endpoints of the traces app, mounted under /api/v1/."""

from django.urls import re_path

from .api.views import SessionLogsView, SessionTracesView, SpanListView, TraceDetailView

api_urlpatterns = [
    re_path(
        r"^sessions/(?P<session_id>[^/]+)/traces/?$",
        SessionTracesView.as_view(),
        name="session_traces",
    ),
    re_path(
        r"^sessions/(?P<session_id>[^/]+)/logs/?$", SessionLogsView.as_view(), name="session_logs"
    ),
    re_path(r"^traces/(?P<trace_id>[^/]+)/?$", TraceDetailView.as_view(), name="trace_detail"),
    re_path(r"^spans/?$", SpanListView.as_view(), name="span_list"),
]
