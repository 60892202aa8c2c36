from .navigation import navigation_for


def organizations(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import organizations_for_user

    organization = getattr(request, "organization", None)
    membership = getattr(request, "membership", None)
    return {
        "user_organizations": organizations_for_user(user=user),
        "current_organization": organization,
        "current_membership": membership,
        "nav_items": navigation_for(request, organization, membership),
    }
