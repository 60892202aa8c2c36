"""The install snippets shown on the dashboard, built for one organization."""

from django.conf import settings

from .models import Organization


def public_base_url(request) -> str:
    """QORRELATE_PUBLIC_URL when set, else the address this page was served from."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    return request.build_absolute_uri("/").rstrip("/")


def script_tag(organization: Organization, base_url: str) -> str:
    return (
        f'<script src="{base_url}/static/replay.js"\n'
        f'        data-org-id="{organization.public_id}"\n'
        f'        data-privacy-mode="{organization.privacy_mode}"></script>'
    )


def backend_snippet(organization: Organization, base_url: str) -> str:
    return (
        "# pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http\n"
        "# settings.py (Django) — FastAPI and Flask: see docs/sdk-python.md\n"
        'MIDDLEWARE.insert(0, "qorrelate_otel.django.SessionIdMiddleware")\n\n'
        "# where you set up OpenTelemetry:\n"
        "from qorrelate_otel import configure\n"
        f'configure(endpoint="{base_url}", ingest_key="<your ingest key>",\n'
        '          service_name="my-backend")'
    )
