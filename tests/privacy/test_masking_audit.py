"""Masking audits through the services: findings per organization, idempotence, auto-redact
that keeps the replay playable, and no secret in any finding or log line."""

import logging

import orjson
import pytest

from apps.privacy import services
from apps.privacy.models import Finding, SessionAudit
from apps.privacy.selection import new_sessions_due, nightly_sample
from apps.replay.models import Batch, Segment
from apps.replay.selectors import session_events
from apps.replay.services import session_compact
from apps.replay.storage import blobs
from tests.privacy import events as ev
from tests.privacy.recording import record_leaky
from tests.replay import rrweb

pytestmark = pytest.mark.django_db
SECRETS = (ev.CARD, ev.CARD_DIGITS, ev.EMAIL, ev.PASSWORD)


def _audit(org, session, scope="first"):
    return services.sessions_audit(organization=org, session_pks=[session.pk], scope=scope)[0]


def _stored_bytes(session) -> bytes:
    keys = list(Segment.objects.filter(session=session).values_list("key", flat=True))
    keys += Batch.objects.filter(session=session, segment__isnull=True).values_list(
        "key", flat=True
    )
    return b"".join(blobs.get(key) for key in keys)


def test_the_first_chunk_audit_finds_what_escaped_and_stores_no_value(org_a, caplog):
    caplog.set_level(logging.DEBUG)
    session = record_leaky(org_a)
    result = _audit(org_a, session)
    assert result.new_findings == 4 and result.chunks == 2
    kinds = sorted(Finding.objects.filter(organization=org_a).values_list("kind", flat=True))
    assert kinds == ["card_number", "email", "private_element", "sensitive_input"]
    card = Finding.objects.get(kind="card_number")
    assert card.selector == "body > form#checkout > p.receipt" and card.offset_ms == 2
    assert card.session_id_text == session.session_id and card.redacted_at is None
    everything = orjson.dumps(list(Finding.objects.values())).decode() + caplog.text
    for secret in SECRETS:
        assert secret not in everything
    assert SessionAudit.objects.get(session=session).scope == "first"


def test_auditing_again_adds_nothing(org_a):
    session = record_leaky(org_a)
    _audit(org_a, session, "manual")
    assert _audit(org_a, session, "manual").new_findings == 0
    assert Finding.objects.count() == 4


def test_auto_redact_rewrites_the_chunk_and_the_replay_still_plays(org_a):
    services.settings_update(organization=org_a, auto_redact=True)
    session = record_leaky(org_a)
    before = list(session_events(organization=org_a, session=session))
    result = _audit(org_a, session)
    assert result.redacted_chunks == 1
    after = list(session_events(organization=org_a, session=session))
    assert len(after) == len(before)
    assert [e["type"] for e in after] == [e["type"] for e in before]
    assert [e["timestamp"] for e in after] == [e["timestamp"] for e in before]
    text = after[2]["data"]["node"]["childNodes"][0]["childNodes"][1]["childNodes"][0]
    receipt = text["childNodes"][0]["childNodes"][0]["textContent"]
    assert receipt == "Charged to card **** **** **** **** today"
    stored = _stored_bytes(session)
    for secret in SECRETS:
        assert secret.encode() not in stored
    assert Finding.objects.filter(redacted_at__isnull=False).count() == 4
    assert _audit(org_a, session, "manual").findings == 0  # nothing left


def test_a_compacted_session_is_audited_and_redacted_in_its_segment(org_a):
    services.settings_update(organization=org_a, auto_redact=True)
    session = record_leaky(org_a, extra_batches=3)
    session_compact(organization=org_a, session=session)
    assert Segment.objects.filter(session=session).count() == 1
    result = _audit(org_a, session)
    assert result.chunks == 1 and result.redacted_chunks == 1
    assert ev.CARD.encode() not in _stored_bytes(session)
    assert len(list(session_events(organization=org_a, session=session))) == 6 + 6


def test_findings_belong_to_their_organization(org_a, org_b):
    record_leaky(org_b)
    session = record_leaky(org_a)
    _audit(org_a, session)
    assert not Finding.objects.filter(organization=org_b).exists()


def test_new_sessions_are_due_once_and_opted_out_organizations_are_skipped(org_a, org_b):
    a = record_leaky(org_a)
    b = record_leaky(org_b)
    services.settings_update(organization=org_b, audit_new_sessions=False)
    assert new_sessions_due() == [(org_a.pk, a.pk)]
    _audit(org_a, a)
    assert new_sessions_due() == []
    assert b.pk not in [pk for _org, pk in new_sessions_due()]


def test_the_nightly_sample_is_deterministic_and_capped(org_a):
    from datetime import timedelta

    from django.utils import timezone

    from apps.replay.models import Session

    for _ in range(30):
        record_leaky(org_a, extra_batches=0)
    yesterday = timezone.now() - timedelta(days=1)
    Session.objects.update(last_seen_at=yesterday.replace(hour=12))
    everything = nightly_sample(organization=org_a, percent=100, cap=1000)
    assert len(everything) == 30
    some = nightly_sample(organization=org_a, percent=30, cap=1000)
    assert 0 < len(some) < 30 and some == nightly_sample(organization=org_a, percent=30, cap=1000)
    assert len(nightly_sample(organization=org_a, percent=100, cap=5)) == 5


def test_a_damaged_chunk_is_skipped_without_leaking(org_a, caplog):
    session = record_leaky(org_a)
    first = Batch.objects.get(session=session, seq=0)
    blobs.put(first.key, blobs.compress(b'{"seq": 0, "count": 3}\n[1,{"x": "' + ev.CARD.encode()))
    result = _audit(org_a, session)
    assert result.skipped_chunks == 1 and result.chunks == 1
    assert ev.CARD not in caplog.text and "chunk skipped" in caplog.text


def test_events_of_an_ordinary_session_have_no_findings(org_a):
    from tests.lifecycle.recording import record

    session = record(org_a, batches=[[*rrweb.page_load(rrweb.T0), rrweb.text_input(rrweb.T0 + 5)]])
    assert _audit(org_a, session).findings == 0
