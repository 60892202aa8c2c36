from django.urls import path

from .views import logs_view, traces_view

urlpatterns = [
    path("v1/traces", traces_view, name="otlp_traces"),
    path("v1/logs", logs_view, name="otlp_logs"),
]
