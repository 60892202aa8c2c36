"""The organization's audit settings (a row is created on first change; defaults apply until)."""

from django.db import IntegrityError

from apps.core.errors import DomainError
from apps.orgs.models import Organization

from .models import PrivacySettings


def settings_for(*, organization: Organization) -> PrivacySettings:
    found = PrivacySettings.objects.filter(organization=organization).first()
    return found or PrivacySettings(organization=organization)


def settings_update(*, organization: Organization, **changes) -> PrivacySettings:
    current = PrivacySettings.objects.filter(organization=organization).first()
    if current is None:
        try:
            current = PrivacySettings.objects.create(organization=organization)
        except IntegrityError:
            current = PrivacySettings.objects.get(organization=organization)
    for key in ("audit_new_sessions", "auto_redact"):
        if key in changes and changes[key] is not None:
            setattr(current, key, bool(changes[key]))
    if changes.get("nightly_sample_percent") is not None:
        try:
            percent = float(changes["nightly_sample_percent"])
        except (TypeError, ValueError):
            percent = -1
        if not 0 <= percent <= 100:
            raise DomainError("nightly_sample_percent must be 0 to 100.", code="invalid")
        current.nightly_sample_percent = percent
    if changes.get("nightly_max_sessions") is not None:
        try:
            cap = int(changes["nightly_max_sessions"])
        except (TypeError, ValueError):
            cap = -1
        if not 0 <= cap <= 10_000:
            raise DomainError("nightly_max_sessions must be 0 to 10000.", code="invalid")
        current.nightly_max_sessions = cap
    current.save()
    return current
