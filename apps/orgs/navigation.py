"""The dashboard's navigation. Each domain names its page here; links whose URL does not exist
(yet) are left out, so a page appears in the navigation as soon as its app mounts it."""

from django.urls import NoReverseMatch, reverse

from .models import Role, role_at_least

# (label, url name, minimum role, section)
NAV = [
    ("Overview", "org_home", Role.VIEWER, "main"),
    ("Sessions", "sessions", Role.VIEWER, "main"),
    ("Insights", "insights", Role.VIEWER, "main"),
    ("Traces", "traces", Role.VIEWER, "main"),
    ("Tickets", "tickets", Role.VIEWER, "main"),
    ("Privacy", "privacy", Role.VIEWER, "main"),
    ("Usage & billing", "billing", Role.VIEWER, "main"),
    ("General", "org_settings", Role.VIEWER, "settings"),
    ("Members", "org_members", Role.VIEWER, "settings"),
    ("Keys", "org_keys", Role.ADMIN, "settings"),
    ("Sampling", "sampling", Role.VIEWER, "settings"),
    ("Retention", "retention", Role.VIEWER, "settings"),
    ("Integrations", "integrations", Role.ADMIN, "settings"),
    ("Alerts", "alerts", Role.VIEWER, "settings"),
]


def navigation_for(request, organization, membership):
    if organization is None or membership is None:
        return []
    items = []
    for label, name, minimum, section in NAV:
        if not role_at_least(membership.role, minimum):
            continue
        try:
            url = reverse(name, kwargs={"org_slug": organization.slug})
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": label,
                "url": url,
                "section": section,
                "active": request.path == url
                or (name != "org_home" and request.path.startswith(url)),
            }
        )
    return items
