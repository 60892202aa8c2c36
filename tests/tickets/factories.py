"""Small factories for the tickets tests: replay sessions written straight into the index."""

import os
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


def make_span(organization, trace_id: str, *, name="GET /api/cart", is_error=False, **kwargs):
    from apps.traces.models import Span

    start = int(timezone.now().timestamp() * 1e9)
    return Span.objects.create(
        organization=organization,
        trace_id=trace_id,
        # Spans are unique per (organization, trace id, span id): a new id unless one is given.
        span_id=kwargs.pop("span_id", None) or os.urandom(8).hex(),
        name=name,
        service_name=kwargs.pop("service_name", "shop-api"),
        start_time_unix_nano=start,
        end_time_unix_nano=start + 42_000_000,
        duration_ns=42_000_000,
        is_error=is_error,
        status_code=2 if is_error else 1,
        **kwargs,
    )


def make_mark(session, *, offset_ms: int, kind="error", label="TypeError: x is undefined"):
    from apps.replay.models import TimelineMark

    return TimelineMark.objects.create(
        organization_id=session.organization_id,
        session=session,
        ts_ms=session.start_ms + offset_ms,
        kind=kind,
        label=label,
    )
