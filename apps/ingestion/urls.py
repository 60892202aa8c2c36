"""Intake endpoints, mounted at the root."""

from .otlp.urls import urlpatterns as otlp_urlpatterns

public_urlpatterns = [
    *otlp_urlpatterns,
]
