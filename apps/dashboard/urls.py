"""Dashboard pages under /o/<org_slug>/ and the recorder's session links at /r/."""

from django.urls import path

from .views.links import replay_link_view
from .views.overview import OverviewView
from .views.session_detail import SessionDetailView
from .views.sessions import SessionListView
from .views.traces import TraceDetailView, TraceListView, TraceWaterfallView

org_urlpatterns = [
    path("", OverviewView.as_view(), name="org_home"),
    path("sessions/", SessionListView.as_view(), name="sessions"),
    path("sessions/<str:session_id>/", SessionDetailView.as_view(), name="session_detail"),
    path("traces/", TraceListView.as_view(), name="traces"),
    path("traces/<str:trace_id>/", TraceDetailView.as_view(), name="trace_detail"),
    path("traces/<str:trace_id>/waterfall/", TraceWaterfallView.as_view(), name="trace_waterfall"),
]

public_urlpatterns = [
    path("r/<str:org_public_id>/<str:session_id>", replay_link_view, name="replay_link"),
]
