"""The install snippets shown on the dashboard, built for one organization."""

from django.conf import settings

from .models import Organization


def script_tag(organization: Organization) -> str:
    return (
        f'<script src="{settings.PUBLIC_URL}/static/replay.js"\n'
        f'        data-org-id="{organization.public_id}"\n'
        f'        data-privacy-mode="{organization.privacy_mode}"></script>'
    )


def backend_snippet(organization: Organization) -> str:
    return (
        "# pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http\n"
        "# settings.py (Django) — FastAPI and Flask: see docs/otel-helper.md\n"
        'MIDDLEWARE.insert(0, "qorrelate_otel.django.SessionIdMiddleware")\n\n'
        "# where you set up OpenTelemetry:\n"
        "from qorrelate_otel import configure\n"
        f'configure(endpoint="{settings.PUBLIC_URL}", ingest_key="<your ingest key>",\n'
        '          service_name="my-backend")'
    )
