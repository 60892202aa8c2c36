from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "apps.lifecycle"
    label = "lifecycle"
    verbose_name = "Sampling and retention"

    def ready(self):
        from . import receivers

        receivers.connect()
