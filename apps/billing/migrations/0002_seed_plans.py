"""Seed the price list (Free, Team, Business, Enterprise) and put every existing organization
on Free."""

from django.db import migrations


def seed(apps, schema_editor):
    from apps.billing.plans import seed_plans

    plan_model = apps.get_model("billing", "Plan")
    seed_plans(plan_model)
    free = plan_model.objects.get(code="free")
    organization_model = apps.get_model("orgs", "Organization")
    subscription_model = apps.get_model("billing", "Subscription")
    have = set(subscription_model.objects.values_list("organization_id", flat=True))
    subscription_model.objects.bulk_create(
        subscription_model(organization_id=pk, plan=free)
        for pk in organization_model.objects.values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("orgs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
