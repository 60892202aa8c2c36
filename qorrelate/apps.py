from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself (settings, root URLs, Celery app): what it sets up at start."""

    name = "qorrelate"
    verbose_name = "Qorrelate"

    def ready(self):
        from django.conf import settings

        from .telemetry import configure_self_tracing

        configure_self_tracing(settings.QORRELATE_SELF_TRACING)
