"""The address this install is reached at, for links that leave the page (snippets, invitations,
replay links pasted into a helpdesk)."""

from django.conf import settings


def public_base_url(request) -> str:
    """QORRELATE_PUBLIC_URL when set, else the address this page was served from."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    return request.build_absolute_uri("/").rstrip("/")
