"""A ticket that names its reporter is linked to that identified user's sessions in the window
before it, at creation and, through the periodic sweep, when sessions arrive later."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.replay.models import Session
from apps.tickets import services, tasks
from apps.tickets.models import TicketSessionLink
from apps.tickets.schedule import BEAT_SCHEDULE
from apps.tickets.signals import session_linked
from qorrelate.celery import app as celery_app
from qorrelate.celery import collect_beat_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _linked(ticket) -> set[str]:
    return set(
        TicketSessionLink.objects.filter(ticket=ticket).values_list(
            "session__session_id", flat=True
        )
    )


def _ticket(org, **kwargs):
    values = {"source": "zendesk", "external_id": "4711", "subject": "Checkout broken"}
    return services.ticket_create(organization=org, **(values | kwargs))


def test_a_ticket_with_a_reporter_user_id_links_that_users_sessions_in_the_last_24_hours(
    org_a, org_b, make_session
):
    now = timezone.now()
    recent = make_session(org_a, user_id="u-42", started_at=now - timedelta(hours=2))
    make_session(org_a, user_id="u-42", started_at=now - timedelta(hours=30))  # too old
    make_session(org_a, user_id="u-7", started_at=now - timedelta(hours=1))  # someone else
    make_session(org_b, user_id="u-42", started_at=now - timedelta(hours=1))  # other org
    make_session(org_a, user_id="u-42", started_at=now + timedelta(minutes=5))  # after ticket

    ticket = _ticket(org_a, reporter_user_id="u-42", created_at=now)

    assert _linked(ticket) == {recent.session_id}
    link = TicketSessionLink.objects.get(ticket=ticket)
    assert link.how == "automatic"
    assert link.organization_id == org_a.pk
    assert "u-42" in link.reason and "24 h" in link.reason


def test_a_session_that_began_before_the_window_but_ran_into_it_is_linked(org_a, make_session):
    now = timezone.now()
    long_one = make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=25), minutes=120)
    ticket = _ticket(org_a, reporter_user_id="u-1", created_at=now)
    assert _linked(ticket) == {long_one.session_id}


def test_the_reporter_email_matches_the_email_trait_case_insensitively(org_a, make_session):
    session = make_session(
        org_a, user_traits={"email": "Dana@Example.COM", "plan": "pro"}, user_id="internal-9"
    )
    ticket = _ticket(org_a, reporter_email="dana@example.com")
    assert _linked(ticket) == {session.session_id}
    assert "dana@example.com" in TicketSessionLink.objects.get(ticket=ticket).reason


def test_a_ticket_without_a_reporter_links_nothing(org_a, make_session):
    make_session(org_a, user_id="u-1")
    ticket = _ticket(org_a)
    assert _linked(ticket) == set()


def test_the_window_comes_from_the_integration_or_the_organization_setting(org_a, make_session):
    now = timezone.now()
    old = make_session(org_a, user_id="u-5", started_at=now - timedelta(hours=40))
    services.ticket_settings_update(organization=org_a, link_window_hours=48)
    by_setting = _ticket(org_a, external_id="1", reporter_user_id="u-5", created_at=now)
    assert by_setting.link_window_hours == 48
    assert _linked(by_setting) == {old.session_id}

    integration, _secret = services.integration_create(
        organization=org_a, kind="zendesk", link_window_hours=6
    )
    by_integration = _ticket(
        org_a, external_id="2", reporter_user_id="u-5", created_at=now, integration=integration
    )
    assert by_integration.link_window_hours == 6
    assert _linked(by_integration) == set()


def test_changing_the_reporter_links_the_new_reporters_sessions(org_a, make_session):
    session = make_session(org_a, user_id="u-8")
    ticket = _ticket(org_a, reporter_user_id="u-nobody")
    assert _linked(ticket) == set()
    services.ticket_update(organization=org_a, ticket=ticket, reporter_user_id="u-8")
    assert _linked(ticket) == {session.session_id}


def test_the_sweep_links_a_session_that_arrives_after_the_ticket(org_a, make_session, eager_celery):
    now = timezone.now()
    ticket = _ticket(org_a, reporter_user_id="u-42", created_at=now)
    assert _linked(ticket) == set()

    # The recorder's batches come in late: the session started inside the window.
    late = make_session(org_a, user_id="u-42", started_at=now - timedelta(minutes=30))
    tasks.autolink_sweep()

    assert _linked(ticket) == {late.session_id}
    assert TicketSessionLink.objects.get(ticket=ticket).how == "automatic"


def test_the_sweep_links_a_session_identified_after_the_ticket(org_a, make_session, eager_celery):
    now = timezone.now()
    anonymous = make_session(org_a, started_at=now - timedelta(hours=1))
    ticket = _ticket(org_a, reporter_email="late@example.com", created_at=now)
    assert _linked(ticket) == set()

    Session.objects.filter(pk=anonymous.pk).update(
        user_traits={"email": "late@example.com"}, updated_at=timezone.now()
    )
    tasks.autolink_sweep()
    assert _linked(ticket) == {anonymous.session_id}


def test_the_sweep_is_idempotent_and_skips_closed_tickets_and_sessions_outside_the_window(
    org_a, make_session, eager_celery
):
    now = timezone.now()
    open_ticket = _ticket(org_a, external_id="1", reporter_user_id="u-1", created_at=now)
    closed = _ticket(org_a, external_id="2", reporter_user_id="u-1", created_at=now)
    services.ticket_close(organization=org_a, ticket=closed)
    inside = make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=3))
    make_session(org_a, user_id="u-1", started_at=now - timedelta(hours=50))

    tasks.autolink_sweep()
    tasks.autolink_sweep()

    assert _linked(open_ticket) == {inside.session_id}
    assert TicketSessionLink.objects.filter(ticket=open_ticket).count() == 1
    assert _linked(closed) == set()


def test_the_per_organization_task_never_links_across_organizations(org_a, org_b, make_session):
    now = timezone.now()
    ticket = _ticket(org_a, reporter_user_id="u-1", created_at=now)
    make_session(org_b, user_id="u-1", started_at=now - timedelta(hours=1))
    created = tasks.autolink_organization(org_b.pk, (now - timedelta(minutes=5)).timestamp())
    created += tasks.autolink_organization(org_a.pk, (now - timedelta(minutes=5)).timestamp())
    assert created == 0
    assert _linked(ticket) == set()


def test_the_sweep_runs_every_minute_from_beat():
    entry = BEAT_SCHEDULE["tickets-autolink-late-sessions"]
    assert entry["task"] == "apps.tickets.tasks.autolink_sweep"
    assert entry["schedule"] == 60.0
    assert "tickets-autolink-late-sessions" in collect_beat_schedule()


def test_automatic_links_announce_session_linked_after_commit(
    org_a, make_session, django_capture_on_commit_callbacks
):
    session = make_session(org_a, user_id="u-3")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    session_linked.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket = _ticket(org_a, reporter_user_id="u-3")
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        session_linked.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["organization_id"] == org_a.pk
    assert received[0]["session_pk"] == session.pk
    assert received[0]["ticket_pk"] == ticket.pk
