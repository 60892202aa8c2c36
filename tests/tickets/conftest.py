import pytest

from .factories import SessionFactory


@pytest.fixture
def make_session():
    """``make_session(org, user_id=..., started_at=..., minutes=...)`` → a Session row."""

    def make(organization, **kwargs):
        return SessionFactory(organization=organization, **kwargs)

    return make


@pytest.fixture
def make_ticket():
    """``make_ticket(org, **fields)`` → a Ticket created through the service."""
    from itertools import count

    from apps.tickets import services

    numbers = count(1)

    def make(organization, **kwargs):
        values = {"source": "zendesk", "external_id": str(next(numbers)), "subject": "Help"}
        return services.ticket_create(organization=organization, **(values | kwargs))

    return make
