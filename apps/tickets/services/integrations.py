"""Helpdesk integrations (webhook endpoints and their signing secrets) and ticket settings."""

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.orgs.models import Organization

from .. import selectors
from ..models import (
    DEFAULT_LINK_WINDOW_HOURS,
    HelpdeskIntegration,
    IntegrationKind,
    TicketSettings,
    new_webhook_secret,
)
from . import fields

MIN_PASTED_SECRET = 16


def _name(name: str, kind: str) -> str:
    return fields.text(name, 100) or IntegrationKind(kind).label


def integration_create(
    *,
    organization: Organization,
    kind: str,
    name: str = "",
    link_window_hours: int = DEFAULT_LINK_WINDOW_HOURS,
    created_by=None,
) -> tuple[HelpdeskIntegration, str]:
    """A new webhook endpoint. Returns (integration, secret); show the secret once."""
    if kind not in IntegrationKind.values:
        raise DomainError(
            f"Unknown helpdesk {kind!r}; use one of {', '.join(IntegrationKind.values)}.",
            code="invalid_kind",
        )
    secret = new_webhook_secret()
    integration = HelpdeskIntegration.objects.create(
        organization=organization,
        kind=kind,
        name=_name(name, kind),
        secret=secret,
        link_window_hours=fields.window_hours(link_window_hours),
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    return integration, secret


@transaction.atomic
def integration_rotate_secret(
    *, organization: Organization, integration_id
) -> tuple[HelpdeskIntegration, str]:
    """Replace the secret; deliveries signed with the old one are refused from now on."""
    integration = selectors.integration_get(
        organization=organization, integration_id=integration_id
    )
    secret = new_webhook_secret()
    integration.secret = secret
    integration.secret_rotated_at = timezone.now()
    integration.save(update_fields=["secret", "secret_rotated_at"])
    return integration, secret


def integration_set_secret(
    *, organization: Organization, integration_id, secret: str
) -> HelpdeskIntegration:
    """Use the helpdesk's own signing secret (Zendesk generates its own; paste it here)."""
    integration = selectors.integration_get(
        organization=organization, integration_id=integration_id
    )
    secret = (secret or "").strip()
    if len(secret) < MIN_PASTED_SECRET or len(secret) > 200:
        raise DomainError(
            f"A signing secret is {MIN_PASTED_SECRET} to 200 characters.", code="invalid_secret"
        )
    integration.secret = secret
    integration.secret_rotated_at = timezone.now()
    integration.save(update_fields=["secret", "secret_rotated_at"])
    return integration


def integration_update(
    *,
    organization: Organization,
    integration_id,
    name: str | None = None,
    link_window_hours: int | None = None,
    enabled: bool | None = None,
) -> HelpdeskIntegration:
    integration = selectors.integration_get(
        organization=organization, integration_id=integration_id
    )
    if name is not None:
        integration.name = _name(name, integration.kind)
    if link_window_hours is not None:
        integration.link_window_hours = fields.window_hours(link_window_hours)
    if enabled is not None:
        integration.disabled_at = None if enabled else (integration.disabled_at or timezone.now())
    integration.save()
    return integration


def integration_delete(*, organization: Organization, integration_id) -> None:
    selectors.integration_get(organization=organization, integration_id=integration_id).delete()


def ticket_settings_update(*, organization: Organization, link_window_hours: int) -> TicketSettings:
    row, _ = TicketSettings.objects.update_or_create(
        organization=organization,
        defaults={"link_window_hours": fields.window_hours(link_window_hours)},
    )
    return row
