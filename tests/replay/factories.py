"""Index rows made directly, for search and pagination tests (no blobs behind them)."""

from datetime import UTC, datetime

import factory

from apps.replay.models import Session
from tests.replay.rrweb import T0


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    session_id = factory.Faker("uuid4")
    start_ms = factory.Sequence(lambda n: T0 + n * 60_000)
    duration_ms = 30_000
    end_ms = factory.LazyAttribute(lambda o: o.start_ms + o.duration_ms)
    started_at = factory.LazyAttribute(lambda o: datetime.fromtimestamp(o.start_ms / 1000, UTC))
    last_seen_at = factory.LazyAttribute(lambda o: datetime.fromtimestamp(o.end_ms / 1000, UTC))
    browser = "Chrome"
    entry_url = "https://shop.test/"
    urls = factory.LazyAttribute(lambda o: [o.entry_url])
    url_text = factory.LazyAttribute(lambda o: "\n".join(o.urls))
