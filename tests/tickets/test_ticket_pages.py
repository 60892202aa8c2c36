"""Dashboard pages: tickets list and detail, the session page's tickets panel and its "link to
ticket" form, and Settings → Integrations."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.tickets import selectors, services
from apps.tickets.models import HelpdeskIntegration, Ticket, TicketSessionLink

from .factories import make_mark, make_span

pytestmark = pytest.mark.django_db

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _list(org):
    return reverse("tickets", kwargs={"org_slug": org.slug})


def _detail(org, ticket):
    return reverse("ticket_detail", kwargs={"org_slug": org.slug, "ticket_id": ticket.pk})


def test_the_empty_list_says_what_to_do_next(client, org_a, vera):
    client.force_login(vera)
    page = client.get(_list(org_a)).content.decode()
    assert "No tickets yet" in page and "POST /api/v1/tickets" in page


def test_the_list_shows_tickets_with_status_badges_and_filters(client, org_a, vera, make_ticket):
    make_ticket(org_a, subject="Pay button dead", reporter_user_id="u-1")
    make_ticket(org_a, subject="Slow search", status="pending", source="jira")
    client.force_login(vera)
    page = client.get(_list(org_a)).content.decode()
    assert "Pay button dead" in page and "Slow search" in page
    assert 'class="badge badge-warn">pending' in page
    filtered = client.get(_list(org_a) + "?status=pending").content.decode()
    assert "Slow search" in filtered and "Pay button dead" not in filtered
    none = client.get(_list(org_a) + "?q=nothing-like-this").content.decode()
    assert "No tickets match these filters" in none


def test_a_member_creates_a_ticket_from_the_list(client, org_a, bob, make_session):
    session = make_session(org_a, user_id="u-5")
    client.force_login(bob)
    response = client.post(
        _list(org_a),
        {
            "source": "generic",
            "external_id": "MAIL-1",
            "subject": "By e-mail",
            "reporter_user_id": "u-5",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(org_a, ticket)
    assert TicketSessionLink.objects.get().session_id == session.pk
    duplicate = client.post(_list(org_a), {"source": "generic", "external_id": "MAIL-1"})
    assert duplicate.status_code == 409 and Ticket.objects.count() == 1


def test_the_detail_shows_linked_sessions_with_timelines_traces_and_the_reporter(
    client, org_a, vera, make_ticket, make_session
):
    now = timezone.now()
    session = make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=1), minutes=10)
    make_mark(session, offset_ms=300_000)
    other = make_session(org_a, user_id="u-1", started_at=now - timedelta(days=3))
    ticket = make_ticket(org_a, reporter_user_id="u-1", created_at=now)
    make_span(org_a, TRACE, is_error=True)
    services.ticket_link_trace(organization=org_a, ticket=ticket, trace_id=TRACE)
    client.force_login(vera)
    page = client.get(_detail(org_a, ticket)).content.decode()
    assert session.session_id in page and other.session_id[:15] in page
    assert f"/r/{org_a.public_id}/{session.session_id}?t=298000" in page
    assert 'class="tk-dot err" style="left:50.00%"' in page
    assert "GET /api/cart" in page and "1 error" in page
    assert "Mark solved" not in page  # a viewer has no buttons


def test_another_organizations_ticket_is_a_404(client, org_a, org_b, bob, make_ticket):
    theirs = make_ticket(org_b)
    client.force_login(bob)
    assert client.get(_detail(org_a, theirs)).status_code == 404
    assert (
        client.post(_detail(org_a, theirs), {"action": "status", "value": "closed"}).status_code
        == 404
    )


def test_detail_actions_link_unlink_and_change_status(
    client, org_a, org_b, bob, make_ticket, make_session
):
    ticket = make_ticket(org_a)
    ours, theirs = make_session(org_a), make_session(org_b)
    client.force_login(bob)
    url = _detail(org_a, ticket)
    client.post(url, {"action": "link_session", "value": ours.session_id})
    response = client.post(url, {"action": "link_session", "value": theirs.session_id}, follow=True)
    assert "No such session." in response.content.decode()
    assert list(TicketSessionLink.objects.values_list("session_id", flat=True)) == [ours.pk]
    client.post(url, {"action": "unlink_session", "value": ours.session_id})
    assert not TicketSessionLink.objects.exists()
    client.post(url, {"action": "status", "value": "solved"})
    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.closed_at


def test_a_viewer_cannot_change_a_ticket(client, org_a, vera, make_ticket):
    ticket = make_ticket(org_a)
    client.force_login(vera)
    assert (
        client.post(_detail(org_a, ticket), {"action": "status", "value": "closed"}).status_code
        == 403
    )


def _link_url(org, session):
    return reverse(
        "ticket_link_session", kwargs={"org_slug": org.slug, "session_id": session.session_id}
    )


def test_link_to_ticket_from_the_session_page(client, org_a, bob, make_ticket, make_session):
    session = make_session(org_a)
    ticket = make_ticket(org_a, source="zendesk", external_id="4711")
    client.force_login(bob)
    back = f"/o/{org_a.slug}/sessions/{session.session_id}/"
    response = client.post(_link_url(org_a, session), {"ticket_id": ticket.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    link = TicketSessionLink.objects.get()
    assert (link.ticket_id, link.how, link.linked_by) == (ticket.pk, "manual", bob)

    by_number = make_session(org_a)
    client.post(_link_url(org_a, by_number), {"external_id": "4711"})
    assert TicketSessionLink.objects.filter(ticket=ticket, session=by_number).exists()

    new = make_session(org_a)
    response = client.post(
        _link_url(org_a, new), {"external_id": "CHAT-9", "next": "https://evil.test/"}
    )
    created = Ticket.objects.get(external_id="CHAT-9")
    assert created.source == "generic" and response["Location"] == _detail(org_a, created)


def test_link_to_ticket_refuses_other_organizations_sessions_and_viewers(
    client, org_a, org_b, bob, vera, make_ticket, make_session
):
    ticket = make_ticket(org_a)
    theirs = make_session(org_b)
    client.force_login(bob)
    assert client.post(_link_url(org_a, theirs), {"ticket_id": ticket.pk}).status_code == 404
    ours = make_session(org_a)
    client.force_login(vera)
    assert client.post(_link_url(org_a, ours), {"ticket_id": ticket.pk}).status_code == 403
    assert not TicketSessionLink.objects.exists()


def test_the_session_panel_lists_tickets_and_offers_the_link_form(
    org_a, bob, make_ticket, make_session
):
    session = make_session(org_a, user_id="u-3")
    ticket = make_ticket(org_a, reporter_user_id="u-3", subject="Checkout froze")
    other = make_ticket(org_a, subject="Another open one")
    make_ticket(org_a, subject="Done already", status="closed")
    make_mark(session, offset_ms=61_000)
    request = RequestFactory().get(f"/o/{org_a.slug}/sessions/{session.session_id}/")
    request.user = bob
    context = {
        "organization": org_a,
        "session": session,
        "session_tickets": selectors.session_tickets(organization=org_a, session=session),
        "can_link": True,
        "request": request,
    }
    html = render_to_string("tickets/_session_tickets.html", context, request=request)
    assert "Checkout froze" in html and "automatic link" in html
    assert _link_url(org_a, session) in html
    assert f"/r/{org_a.public_id}/{session.session_id}?t=59000" in html
    assert f'<option value="{other.pk}">' in html  # open tickets not linked yet are offered
    assert f'<option value="{ticket.pk}">' not in html and "Done already" not in html
    read_only = render_to_string(
        "tickets/_session_tickets.html", context | {"can_link": False}, request=request
    )
    assert _link_url(org_a, session) not in read_only


def _integrations(org):
    return reverse("integrations", kwargs={"org_slug": org.slug})


def test_integrations_are_for_admins(client, org_a, bob):
    client.force_login(bob)
    assert client.get(_integrations(org_a)).status_code == 403


def test_an_owner_creates_an_integration_and_sees_its_secret_once(client, org_a, alice):
    client.force_login(alice)
    page = client.get(_integrations(org_a)).content.decode()
    assert "No helpdesk connected yet" in page
    response = client.post(
        _integrations(org_a),
        {"action": "create", "kind": "zendesk", "name": "Zendesk EU", "link_window_hours": 12},
    )
    integration = HelpdeskIntegration.objects.get()
    html = response.content.decode()
    assert integration.secret in html and f"/webhooks/helpdesk/{integration.public_id}" in html
    assert integration.link_window_hours == 12
    again = client.get(_integrations(org_a)).content.decode()
    assert integration.secret not in again and integration.secret_hint in again

    rotated = client.post(
        _integrations(org_a), {"action": "rotate", "integration_id": integration.pk}
    )
    old = integration.secret
    integration.refresh_from_db()
    assert integration.secret != old and integration.secret in rotated.content.decode()


def test_integration_settings_actions(client, org_a, org_b, alice):
    theirs, _ = services.integration_create(organization=org_b, kind="jira")
    client.force_login(alice)
    url = _integrations(org_a)
    client.post(url, {"action": "create", "kind": "jira", "link_window_hours": 24})
    integration = HelpdeskIntegration.objects.get(organization=org_a)
    client.post(
        url, {"action": "window", "integration_id": integration.pk, "link_window_hours": 48}
    )
    client.post(url, {"action": "disable", "integration_id": integration.pk})
    client.post(url, {"action": "window", "link_window_hours": 72})
    integration.refresh_from_db()
    assert integration.link_window_hours == 48 and integration.disabled_at is not None
    assert selectors.default_link_window_hours(organization=org_a) == 72
    bad = client.post(url, {"action": "window", "link_window_hours": 0})
    assert bad.status_code == 400
    response = client.post(url, {"action": "rotate", "integration_id": theirs.pk})
    assert response.status_code == 404
    client.post(url, {"action": "delete", "integration_id": theirs.pk})
    assert HelpdeskIntegration.objects.filter(pk=theirs.pk).exists()
    client.post(url, {"action": "delete", "integration_id": integration.pk})
    assert not HelpdeskIntegration.objects.filter(organization=org_a).exists()
