"""The demo organization and its owner, created once and reused (needs Django settings)."""

from dataclasses import dataclass

DEMO_EMAIL = "demo@qorrelate.local"
DEMO_PASSWORD = "demo-replay-2024"
DEMO_ORG = "Demo Shop"


@dataclass
class DemoOrganization:
    organization: object
    user: object
    ingest_key: str


def ensure_demo_organization(
    *, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, name: str = DEMO_ORG
) -> DemoOrganization:
    """The demo user (created with ``password`` if missing) owning the organization ``name``,
    and a fresh ingest key for the shop's backend (keys are shown once, so one per run)."""
    from django.contrib.auth import get_user_model

    from apps.orgs import services
    from apps.orgs.models import Membership

    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        user, organization = services.signup(email=email, password=password, organization_name=name)
    else:
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user, organization__name=name)
            .first()
        )
        organization = (
            membership.organization
            if membership
            else services.organization_create(name=name, owner=user)
        )
    _key, raw = services.key_create(
        organization=organization, kind="ingest", name="demo shop backend", created_by=user
    )
    return DemoOrganization(organization=organization, user=user, ingest_key=raw)
