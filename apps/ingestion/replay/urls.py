from django.urls import path

from .views import replay_intake

urlpatterns = [path("ingest/v1/replay", replay_intake, name="ingest_replay")]
