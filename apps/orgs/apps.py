from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"
    verbose_name = "Organizations"

    def ready(self):
        from .api import schema  # noqa: F401  (registers the API key scheme with drf-spectacular)
