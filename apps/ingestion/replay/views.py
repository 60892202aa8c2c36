"""``POST /ingest/v1/replay?org=<data-org-id>``: the recorder's batches (and their preflight).
The stages are in ``intake.py``; ``apps.ingestion.pipeline`` runs them."""

from csp.decorators import csp_exempt
from django.views.decorators.csrf import csrf_exempt

from ..pipeline.stages import receive
from .intake import REPLAY


# The replies are JSON for the recorder's fetch, never a page: no Content-Security-Policy.
@csrf_exempt
@csp_exempt()
@csp_exempt(REPORT_ONLY=True)
def replay_intake(request):
    if request.method == "OPTIONS":
        return REPLAY.preflight(request)
    return receive(REPLAY, request)
