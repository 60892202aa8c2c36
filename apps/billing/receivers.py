"""A new organization gets its Free subscription in the same transaction that creates it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.orgs.models import Organization


@receiver(post_save, sender=Organization, dispatch_uid="billing_subscription_for_new_org")
def _subscribe_new_organization(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .subscriptions import subscription_ensure

        subscription_ensure(organization_id=instance.pk)
