"""The real path with a live worker: the recorder's last batch through the intake queues the
detectors, a Celery worker on Redis reads the stored session, and the finding is there."""

import time

import pytest

from apps.insights.models import Finding
from tests.insights import events as e
from tests.replay import rrweb

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]
T = e.T0 + 1000


def test_the_last_batch_has_a_live_worker_find_the_double_submit(
    post_batch, org_a, celery_worker_process
):
    sid = rrweb.new_session_id()
    first = [*e.page(), e.click(T), e.network(T + 5, duration_ms=120)]
    last = [e.click(T + 181), e.network(T + 186, status=500), e.idle(T + 9000)]
    assert post_batch(org_a, rrweb.envelope(sid, 0, first)).status_code == 200
    assert post_batch(org_a, rrweb.envelope(sid, 1, last, ended=True)).status_code == 200

    deadline = time.monotonic() + 90  # a condition with a generous bound for a loaded machine
    while not Finding.objects.filter(organization=org_a, session__session_id=sid).exists():
        assert time.monotonic() < deadline, celery_worker_process.output()[-3000:]
        time.sleep(0.2)
    finding = Finding.objects.get(organization=org_a, session__session_id=sid)
    assert finding.kind == "double_submit"
    assert "the second returned 500" in finding.sentence
