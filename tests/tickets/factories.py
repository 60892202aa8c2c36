"""Small factories for the tickets tests: replay sessions written straight into the index."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.replay.models import Session
from apps.tickets.models import Ticket


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


class SessionFactory(factory.django.DjangoModelFactory):
    """``SessionFactory(organization=org, user_id="u-1", started_at=..., minutes=5)``."""

    class Meta:
        model = Session
        exclude = ("minutes",)

    minutes = 5
    session_id = factory.Sequence(lambda n: f"sess{n:06d}abcdef")
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    last_seen_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=o.minutes))
    start_ms = factory.LazyAttribute(lambda o: _ms(o.started_at))
    end_ms = factory.LazyAttribute(lambda o: _ms(o.last_seen_at))
    duration_ms = factory.LazyAttribute(lambda o: _ms(o.last_seen_at) - _ms(o.started_at))
    entry_url = "https://shop.example.test/"
    browser = "Chrome"
    os = "Linux"


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    source = "zendesk"
    external_id = factory.Sequence(lambda n: str(1000 + n))
    subject = factory.Sequence(lambda n: f"Checkout fails #{n}")
    created_at = factory.LazyFunction(timezone.now)
