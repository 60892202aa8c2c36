"""Ticket status, history and closed_at; idempotent upserts; and the reads that sampling and
retention (apps.lifecycle) build on: linked_session_pks, ticket_holds, session_linked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.tickets import selectors, services
from apps.tickets.models import TicketStatusChange
from apps.tickets.selectors import TicketHold
from apps.tickets.signals import session_linked

pytestmark = pytest.mark.django_db


def _ticket(org, external_id="1", **kwargs):
    return services.ticket_create(
        organization=org, source="jira", external_id=external_id, **kwargs
    )


def test_closing_sets_closed_at_and_reopening_clears_it_with_history(org_a):
    ticket = _ticket(org_a)
    assert ticket.closed_at is None
    ticket = services.ticket_close(organization=org_a, ticket=ticket, status="solved")
    solved_at = ticket.closed_at
    assert solved_at is not None
    ticket = services.ticket_close(organization=org_a, ticket=ticket, status="closed")
    assert ticket.closed_at == solved_at  # solved → closed keeps the first close
    ticket = services.ticket_reopen(organization=org_a, ticket=ticket)
    assert ticket.status == "open" and ticket.closed_at is None
    history = list(
        TicketStatusChange.objects.filter(ticket=ticket)
        .order_by("id")
        .values_list("from_status", "to_status")
    )
    assert history == [("", "open"), ("open", "solved"), ("solved", "closed"), ("closed", "open")]


def test_a_ticket_created_closed_has_a_closed_at(org_a):
    ticket = _ticket(org_a, status="closed")
    assert ticket.closed_at is not None


def test_upsert_creates_once_and_then_changes_only_what_differs(org_a):
    ticket, created = services.ticket_upsert(
        organization=org_a, source="zendesk", external_id="77", subject="Broken", status="open"
    )
    assert created
    again, created_again = services.ticket_upsert(
        organization=org_a, source="zendesk", external_id="77", subject="Broken", status="open"
    )
    assert (again.pk, created_again) == (ticket.pk, False)
    assert TicketStatusChange.objects.filter(ticket=ticket).count() == 1
    services.ticket_upsert(organization=org_a, source="zendesk", external_id="77", status="solved")
    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.subject == "Broken" and ticket.closed_at


def test_the_same_external_id_in_two_organizations_is_two_tickets(org_a, org_b):
    a, _ = services.ticket_upsert(organization=org_a, source="zendesk", external_id="9")
    b, _ = services.ticket_upsert(organization=org_b, source="zendesk", external_id="9")
    assert a.pk != b.pk and a.organization_id != b.organization_id


def test_creating_a_duplicate_is_a_409_and_bad_fields_are_400s(org_a):
    _ticket(org_a)
    with pytest.raises(DomainError) as exc:
        _ticket(org_a)
    assert exc.value.status == 409
    for bad in ({"status": "done"}, {"reporter_email": "nope"}, {"url": "ftp://x"}):
        with pytest.raises(DomainError) as exc:
            _ticket(org_a, external_id="2", **bad)
        assert exc.value.status == 400


def test_linking_another_organizations_session_is_not_found(org_a, org_b, make_session):
    theirs = make_session(org_b)
    ticket = _ticket(org_a)
    with pytest.raises(NotFound):
        services.ticket_link_session(
            organization=org_a, ticket=ticket, session_id=theirs.session_id
        )
    with pytest.raises(NotFound):
        services.ticket_link_session(organization=org_a, ticket=ticket, session=theirs)


def test_linked_session_pks_names_only_linked_sessions_of_the_organization(
    org_a, org_b, make_session
):
    linked, unlinked = make_session(org_a), make_session(org_a)
    foreign = make_session(org_b)
    services.ticket_link_session(organization=org_a, ticket=_ticket(org_a), session=linked)
    services.ticket_link_session(organization=org_b, ticket=_ticket(org_b), session=foreign)
    pks = [linked.pk, unlinked.pk, foreign.pk]
    assert selectors.linked_session_pks(organization=org_a, session_pks=pks) == {linked.pk}
    assert selectors.linked_session_pks(organization=org_a, session_pks=[]) == set()


def test_ticket_holds_report_open_tickets_and_the_last_close(org_a, make_session):
    both, closed_only, unlinked = make_session(org_a), make_session(org_a), make_session(org_a)
    open_ticket = _ticket(org_a, external_id="1")
    pending = _ticket(org_a, external_id="2", status="pending")
    first_closed = _ticket(org_a, external_id="3")
    second_closed = _ticket(org_a, external_id="4")
    for ticket, session in [
        (open_ticket, both),
        (first_closed, both),
        (pending, closed_only),
    ]:
        services.ticket_link_session(organization=org_a, ticket=ticket, session=session)
    services.ticket_close(organization=org_a, ticket=first_closed)
    services.ticket_link_session(organization=org_a, ticket=first_closed, session=closed_only)
    services.ticket_link_session(organization=org_a, ticket=second_closed, session=closed_only)
    services.ticket_close(organization=org_a, ticket=second_closed, status="solved")
    services.ticket_close(organization=org_a, ticket=pending)
    second_closed.refresh_from_db()
    first_closed.refresh_from_db()

    holds = selectors.ticket_holds(
        organization=org_a, session_pks=[both.pk, closed_only.pk, unlinked.pk]
    )
    assert holds[both.pk] == TicketHold(has_open_ticket=True, last_closed_at=first_closed.closed_at)
    assert holds[closed_only.pk].has_open_ticket is False
    assert holds[closed_only.pk].last_closed_at >= second_closed.closed_at
    assert unlinked.pk not in holds


def test_ticket_holds_of_another_organization_are_empty(org_a, org_b, make_session):
    session = make_session(org_a)
    services.ticket_link_session(organization=org_a, ticket=_ticket(org_a), session=session)
    assert selectors.ticket_holds(organization=org_b, session_pks=[session.pk]) == {}


def test_a_manual_link_sends_session_linked_once_after_commit(
    org_a, make_session, django_capture_on_commit_callbacks
):
    session = make_session(org_a)
    ticket = _ticket(org_a)
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["organization_id"], kwargs["session_pk"], kwargs["ticket_pk"]))

    session_linked.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_link_session(organization=org_a, ticket=ticket, session=session)
            services.ticket_link_session(organization=org_a, ticket=ticket, session=session)
    finally:
        session_linked.disconnect(receiver)
    assert received == [(org_a.pk, session.pk, ticket.pk)]


def test_a_failing_receiver_does_not_undo_the_link(
    org_a, make_session, django_capture_on_commit_callbacks
):
    session = make_session(org_a)
    ticket = _ticket(org_a)

    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    session_linked.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            link, created = services.ticket_link_session(
                organization=org_a, ticket=ticket, session=session
            )
    finally:
        session_linked.disconnect(broken)
    assert created and selectors.linked_session_pks(organization=org_a, session_pks=[session.pk])


def test_reporter_sessions_honour_the_hours_asked_for(org_a, make_session):
    now = timezone.now()
    make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=30))
    recent = make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=1))
    ticket = _ticket(org_a, reporter_user_id="u-1", created_at=now)
    assert list(selectors.reporter_sessions(organization=org_a, ticket=ticket)) == [recent]
    assert selectors.reporter_sessions(organization=org_a, ticket=ticket, hours=48).count() == 2
