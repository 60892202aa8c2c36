from django.apps import AppConfig, apps


class BillingConfig(AppConfig):
    name = "apps.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self):
        from . import receivers  # noqa: F401  (a new organization starts on Free)
        from .services import member_limit_check

        # orgs sits below billing: it calls this hook instead of importing billing.
        apps.get_app_config("orgs").member_limit_hook = member_limit_check
