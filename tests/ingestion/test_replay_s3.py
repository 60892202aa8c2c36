"""The S3 path, against a real S3 wire protocol (a moto server): intake, compaction, playback."""

import pytest

from apps.replay.models import Batch, Segment, Session
from apps.replay.selectors import session_events
from apps.replay.services import session_compact
from tests.replay import rrweb
from tests.replay.fixtures import stored_keys

pytestmark = pytest.mark.django_db


def _events(seq):
    t = rrweb.T0 + seq * 5000
    head = rrweb.page_load(t) if seq == 0 else []
    return [*head, rrweb.click(t + 10), rrweb.mutation(t + 20)]


def test_batches_are_objects_in_the_bucket_under_the_organization_prefix(
    s3_storage, org_a, post_batch
):
    sid = rrweb.new_session_id()
    for seq in range(3):
        assert post_batch(org_a, rrweb.envelope(sid, seq, _events(seq))).status_code == 200

    objects = s3_storage["client"].list_objects_v2(Bucket=s3_storage["bucket"])["Contents"]
    keys = sorted(obj["Key"] for obj in objects)
    assert keys == sorted(Batch.objects.values_list("key", flat=True))
    assert all(key.startswith(f"orgs/{org_a.pk}/sessions/{sid}/batches/") for key in keys)
    body = s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=keys[0])["Body"]
    assert body.read()[:4] == b"\x28\xb5\x2f\xfd"  # zstd frame magic


def test_compaction_and_playback_work_on_s3(s3_storage, org_a, post_batch):
    sid = rrweb.new_session_id()
    for seq in range(4):
        post_batch(org_a, rrweb.envelope(sid, seq, _events(seq)))
    session = Session.objects.get(organization=org_a, session_id=sid)
    expected = [e for seq in range(4) for e in _events(seq)]
    assert list(session_events(organization=org_a, session=session)) == expected

    session_compact(organization=org_a, session=session)

    segment = Segment.objects.get(session=session)
    assert stored_keys() == [segment.key]
    assert list(session_events(organization=org_a, session=session)) == expected
    post_batch(org_a, rrweb.envelope(sid, 4, _events(4)))
    expected += _events(4)
    assert list(session_events(organization=org_a, session=session)) == expected


def test_a_retry_on_s3_is_stored_once(s3_storage, org_a, post_batch):
    payload = rrweb.envelope(rrweb.new_session_id(), 0, _events(0))
    post_batch(org_a, payload)
    assert post_batch(org_a, payload).json()["duplicate"] is True
    assert len(stored_keys()) == 1


def test_an_unreachable_bucket_is_a_retryable_503(s3_storage, org_a, post_batch):
    s3_storage["client"].delete_bucket(Bucket=s3_storage["bucket"])
    response = post_batch(org_a, rrweb.envelope(rrweb.new_session_id(), 0, _events(0)))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert Session.objects.count() == 0
