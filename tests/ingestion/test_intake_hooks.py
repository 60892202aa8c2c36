"""Per-batch work after a replay batch is stored (``hooks.AFTER_REPLY``) runs once the reply is
written, for new batches only, and a failing hook never fails or changes the acknowledgement."""

import pytest

from apps.ingestion.replay.intake import REPLAY
from apps.replay.models import Batch
from tests.replay import rrweb

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(monkeypatch):
    """Replaces the replay intake's hooks with a recorder and a hook that always fails."""
    seen = []

    def record(batch):
        seen.append((batch.organization.pk, batch.decoded.seq, batch.stored.session.session_id))

    def broken(batch):
        raise RuntimeError("a detector bug")

    monkeypatch.setattr(REPLAY, "after_reply", (broken, record))
    return seen


def test_hooks_see_each_new_batch_after_it_is_stored_and_a_failing_hook_changes_nothing(
    org_a, post_batch, hooks, caplog
):
    sid = rrweb.new_session_id()

    first = post_batch(org_a, rrweb.envelope(sid, 0, rrweb.page_load(rrweb.T0)))
    second = post_batch(org_a, rrweb.envelope(sid, 1, [rrweb.click(rrweb.T0 + 500)]))

    assert [first.status_code, second.status_code] == [200, 200]
    assert first.json()["duplicate"] is False
    assert hooks == [(org_a.pk, 0, sid), (org_a.pk, 1, sid)]
    assert Batch.objects.filter(organization=org_a, session__session_id=sid).count() == 2
    assert "after-reply hook" in caplog.text and "a detector bug" in caplog.text


def test_a_retried_batch_runs_no_hooks(org_a, post_batch, hooks):
    sid = rrweb.new_session_id()
    body = rrweb.envelope(sid, 0, rrweb.page_load(rrweb.T0))

    post_batch(org_a, body)
    retry = post_batch(org_a, body)

    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    assert hooks == [(org_a.pk, 0, sid)]


def test_a_refused_batch_runs_no_hooks(org_a, post_batch, hooks):
    response = post_batch(org_a, {"session_id": rrweb.new_session_id(), "seq": "zero"})

    assert response.status_code == 400
    assert hooks == []
