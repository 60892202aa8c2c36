"""POST /v1/traces and /v1/logs. The stages are in ``intake.py``; ``apps.ingestion.pipeline``
runs them: 200 (maybe with partial_success), 400 undecodable, 401 bad ingest key, 405 not POST,
413 over the size limit, 415 content type or encoding, 429 throttled or over quota and 503
storage unavailable or an unexpected failure (both with Retry-After, so exporters retry and
nothing acknowledged is lost). Never 500."""

from django.views.decorators.csrf import csrf_exempt

from ..pipeline.stages import receive
from .intake import LOGS, TRACES


@csrf_exempt
def traces_view(request):
    return receive(TRACES, request)


@csrf_exempt
def logs_view(request):
    return receive(LOGS, request)
