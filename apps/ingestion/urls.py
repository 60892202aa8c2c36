"""Intake endpoints, mounted at the root. Each intake keeps its routes in its own package."""

from .otlp.urls import urlpatterns as otlp_urlpatterns
from .replay.urls import urlpatterns as replay_urlpatterns

public_urlpatterns = [
    *otlp_urlpatterns,
    *replay_urlpatterns,
]
