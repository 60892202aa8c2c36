import pytest

from .factories import SessionFactory


@pytest.fixture
def make_session():
    """``make_session(org, user_id=..., started_at=..., minutes=...)`` → a Session row."""

    def make(organization, **kwargs):
        return SessionFactory(organization=organization, **kwargs)

    return make
