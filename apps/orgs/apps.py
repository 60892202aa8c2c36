from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"
    verbose_name = "Organizations"

    def ready(self):
        from django.conf import settings

        from qorrelate.telemetry import configure_self_tracing

        from .api import schema  # noqa: F401  (registers the API key scheme with drf-spectacular)

        configure_self_tracing(settings.QORRELATE_SELF_TRACING)
