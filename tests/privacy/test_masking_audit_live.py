"""The masking audit with a live worker on Redis and S3 (moto): a card number planted in a
recorded text node is found and redacted in the bucket, the replay still plays, and neither
the findings, the API nor the worker's log contain any planted secret."""

import pytest

from apps.privacy import services
from apps.privacy.models import Finding, SessionAudit
from apps.privacy.tasks import audit_new_sessions
from apps.replay.models import Batch
from apps.replay.selectors import session_events
from apps.replay.storage import blobs
from tests.lifecycle.live import wait_for
from tests.privacy import events as ev
from tests.privacy.recording import record_leaky
from tests.replay.fixtures import stored_keys

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
SECRETS = (ev.CARD, ev.CARD_DIGITS, ev.EMAIL, ev.PASSWORD)


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return ("str", len(value)) if isinstance(value, str) else value


def test_a_planted_card_number_is_found_and_redacted_and_the_replay_still_plays(
    s3_worker, org_a, owner_client, caplog
):
    services.settings_update(organization=org_a, auto_redact=True)
    session = record_leaky(org_a)
    original = list(session_events(organization=org_a, session=session))
    assert any(ev.CARD.encode() in blobs.get(k) for k in stored_keys())  # planted in S3

    audit_new_sessions.delay()  # what beat does every minute
    wait_for(lambda: SessionAudit.objects.filter(session=session).exists(), what="the audit")

    card = Finding.objects.get(organization=org_a, kind="card_number")
    assert card.location == "text" and card.selector == "body > form#checkout > p.receipt"
    assert card.redacted_at is not None and card.excerpt == "Charged to card [card_number] today"
    assert Finding.objects.filter(organization=org_a).count() == 4

    replayed = list(session_events(organization=org_a, session=session))  # parses, in order
    assert [_shape(e) for e in replayed] == [_shape(e) for e in original]
    receipt = replayed[2]["data"]["node"]["childNodes"][0]["childNodes"][1]["childNodes"][0]
    assert receipt["childNodes"][0]["childNodes"][0]["textContent"].count("*") == 16
    for key in stored_keys():  # the bucket holds the redacted chunk only
        content = blobs.get(key)
        assert not any(secret.encode() in content for secret in SECRETS), key
    assert set(stored_keys()) == set(Batch.objects.values_list("key", flat=True))

    api = owner_client.get("/api/v1/privacy/findings").content.decode()
    worker_log = s3_worker.output()
    assert "privacy audit" in worker_log  # the structured line with counts
    for text in (api, worker_log, caplog.text):
        for secret in SECRETS:
            assert secret not in text
