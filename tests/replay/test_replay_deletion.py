"""Deleting an organization or a session removes its compacted replay rows with it."""

import pytest

from apps.orgs.models import Organization
from apps.replay.models import Batch, Segment, Session
from apps.replay.services import IncomingBatch, batch_store, session_compact
from tests.replay import rrweb
from tests.replay.rrweb import T0

pytestmark = pytest.mark.django_db


def _compacted_session(organization):
    sid = rrweb.new_session_id()
    for seq in range(3):
        events = [*(rrweb.page_load(T0) if seq == 0 else []), rrweb.click(T0 + seq * 1000 + 5)]
        batch_store(
            organization=organization,
            incoming=IncomingBatch(session_id=sid, seq=seq, events=events),
        )
    session = Session.objects.get(organization=organization, session_id=sid)
    assert session_compact(organization=organization, session=session)
    return session


def test_deleting_an_organization_with_compacted_sessions_removes_them(org_a, org_b):
    _compacted_session(org_a)
    theirs = _compacted_session(org_b)

    Organization.objects.get(pk=org_a.pk).delete()

    assert not Session.objects.filter(organization_id=org_a.pk).exists()
    assert not Segment.objects.filter(organization_id=org_a.pk).exists()
    assert not Batch.objects.filter(organization_id=org_a.pk).exists()
    assert Batch.objects.filter(session=theirs).count() == 3


def test_deleting_a_compacted_session_removes_its_batches_and_segments(org_a):
    session = _compacted_session(org_a)
    session.delete()
    assert not Segment.objects.filter(organization=org_a).exists()
    assert not Batch.objects.filter(organization=org_a).exists()


def test_a_segment_that_batches_still_point_to_cannot_be_deleted_alone(org_a):
    from django.db.models import RestrictedError

    session = _compacted_session(org_a)
    with pytest.raises(RestrictedError):
        Segment.objects.get(session=session).delete()
