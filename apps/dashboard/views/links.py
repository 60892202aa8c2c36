"""``/r/<data-org-id>/<session_id>?t=ms``: the recorder's session links.

A signed-in member lands on the session page at that moment; an anonymous visitor is sent to
log in first (and comes back here); anyone else gets 404, whether the organization, the
session or the membership is what is missing.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from apps.orgs.selectors import membership_for, organization_by_public_id

from .. import selectors
from .session_detail import start_offset


def replay_link_view(request, org_public_id: str, session_id: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organization = organization_by_public_id(public_id=org_public_id[:40])
    if organization is None or membership_for(organization=organization, user=request.user) is None:
        raise Http404("No such session.")
    session = selectors.session_for_id(organization=organization, session_id=session_id[:64])
    if session is None:
        raise Http404("No such session.")
    url = reverse(
        "session_detail", kwargs={"org_slug": organization.slug, "session_id": session.session_id}
    )
    offset = start_offset(request.GET.get("t"))
    return redirect(f"{url}?{urlencode({'t': offset})}" if offset is not None else url)
