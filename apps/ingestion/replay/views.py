"""``POST /ingest/v1/replay?org=<data-org-id>``: the recorder's batches (and their preflight).
The stages are in ``intake.py``; ``apps.ingestion.pipeline`` runs them."""

from django.views.decorators.csrf import csrf_exempt

from ..pipeline.stages import receive
from .intake import REPLAY


@csrf_exempt
def replay_intake(request):
    if request.method == "OPTIONS":
        return REPLAY.preflight(request)
    return receive(REPLAY, request)
