"""Dashboard URLs of the orgs app (mounted under /o/<org_slug>/ and at the root). The
organization's Overview (``org_home``) is the dashboard app's: it shows sessions and traces,
which this app knows nothing of."""

from django.urls import path

from .views import auth, settings

public_urlpatterns = [
    path("", auth.home_view, name="home"),
    path("signup/", auth.signup_view, name="signup"),
    path("orgs/new/", auth.organization_new_view, name="organization_new"),
    path("invitations/<str:token>/", auth.invitation_accept_view, name="invitation_accept"),
]

org_urlpatterns = [
    path("settings/", settings.GeneralSettingsView.as_view(), name="org_settings"),
    path("settings/members/", settings.MembersView.as_view(), name="org_members"),
    path("settings/keys/", settings.KeysView.as_view(), name="org_keys"),
]
