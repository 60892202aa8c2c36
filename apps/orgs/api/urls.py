from django.urls import re_path

from .routers import OptionalSlashRouter
from .views import CurrentOrganizationView, InvitationViewSet, KeyViewSet, MemberViewSet

router = OptionalSlashRouter()
router.register("members", MemberViewSet, basename="member")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("keys", KeyViewSet, basename="key")

urlpatterns = [
    re_path(r"^organization/?$", CurrentOrganizationView.as_view(), name="organization"),
    *router.urls,
]
