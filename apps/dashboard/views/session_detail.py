"""One session: the player beside its timeline (events, console, network, backend) and facts."""

from csp.decorators import csp_update
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator

from apps.core.public_url import public_base_url
from apps.insights.selectors import session_findings
from apps.orgs.models import Role
from apps.orgs.tenancy import OrganizationView
from apps.replay.selectors import session_timeline_summary, session_window_or_first
from apps.tickets.selectors import session_tickets
from apps.traces.selectors import session_timeline

from .. import selectors
from ..player_config import player_config

TICKETS_PARTIAL = "tickets/_session_tickets.html"


def start_offset(value) -> int | None:
    """``?t=`` in milliseconds from the session start; anything else is ignored."""
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


# The replay frame is an about:blank document that inherits this page's policy, and the recorded
# page's styles come as <style> elements in it. Nothing else is relaxed: recorded images, fonts
# and @imports still load only from img-src/font-src/style-src (docs/privacy.md).
REPLAY_FRAME_POLICY = {"style-src": ["'unsafe-inline'"]}


@method_decorator(csp_update(REPLAY_FRAME_POLICY), name="get")
class SessionDetailView(OrganizationView):
    def get(self, request, *, organization, membership, session_id: str, **kwargs):
        session = selectors.session_for_id(organization=organization, session_id=session_id)
        if session is None:
            raise Http404("No such session.")
        summary = session_timeline_summary(organization=organization, session=session)
        # The same read as the session's traces and logs in the API (the Session row is passed
        # on, so this page load fetches it once).
        backend = session_timeline(
            organization=organization, session_id=session.session_id, session=session
        )
        share = f"{public_base_url(request)}/r/{organization.public_id}/{session.session_id}"
        # One tab of the session plays at a time (?window=, else the first); a window the
        # session does not have is the first one too.
        window_id = session_window_or_first(
            organization=organization, session=session, window_id=request.GET.get("window")
        ) or session_window_or_first(organization=organization, session=session, window_id=None)
        config = player_config(
            organization=organization,
            session=session,
            marks=summary["marks"],
            traces=backend.traces,
            logs=backend.logs,
            start_at_ms=start_offset(request.GET.get("t")),
            share_base=share,
            window_id=window_id,
        )
        return render(
            request,
            "dashboard/session_detail.html",
            {
                "organization": organization,
                "session": session,
                "summary": summary,
                "backend": backend,
                "player_config": config,
                "window_id": window_id,
                "share_url": share,
                "tickets_partial": TICKETS_PARTIAL,
                "session_tickets": session_tickets(organization=organization, session=session),
                "can_link": self.can(Role.MEMBER),
                "backend_errors": sum(1 for t in backend.traces if t.is_error),
                "findings": session_findings(organization=organization, session=session),
            },
        )
