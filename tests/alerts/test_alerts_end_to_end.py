"""The real path: a double submit recorded through the intake, the detectors' task makes a new
insight, the minute task finds it and a signed webhook reaches a real server, once."""

import time

import orjson
import pytest

from apps.alerts.models import AlertDelivery
from apps.alerts.services import rule_create
from apps.alerts.signing import verify_signature
from apps.alerts.tasks import evaluate_alerts
from apps.insights.models import Insight
from apps.insights.tasks import detect_session
from apps.replay.models import Session
from tests.insights import events as e
from tests.replay import rrweb

pytestmark = pytest.mark.django_db
T = e.T0 + 1000


def _double_submit(post_batch, organization):
    sid = rrweb.new_session_id()
    batches = [
        [*e.page(), e.click(T), e.network(T + 5, duration_ms=120)],
        [e.click(T + 181), e.network(T + 186, status=500), e.idle(T + 9e3)],
    ]
    for seq, events in enumerate(batches):
        assert post_batch(organization, rrweb.envelope(sid, seq, events)).status_code == 200
    session = Session.objects.get(organization=organization, session_id=sid)
    detect_session(organization.pk, session.pk)
    return session


def test_a_double_submit_through_the_intake_sends_one_signed_webhook(
    post_batch,
    org_a,
    org_b,
    webhook_receiver,
    eager_celery,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.PUBLIC_URL = "https://qorrelate.example.test"
    rule = rule_create(
        organization=org_a,
        name="Double submits",
        kind="new_insight",
        channel="webhook",
        webhook_url=webhook_receiver.url,
        finding_kinds=["double_submit"],
    )
    rule_create(
        organization=org_b,
        name="Theirs",
        kind="new_insight",
        channel="email",
        emails=["ops@globex.test"],
    )
    _double_submit(post_batch, org_a)
    insight = Insight.objects.get(organization=org_a, kind="double_submit")

    for _ in range(2):  # two minutes of beat
        with django_capture_on_commit_callbacks(execute=True):
            evaluate_alerts()

    (request,) = webhook_receiver.requests
    body = request["body"]
    assert verify_signature(
        secret=rule.secret,
        header=request["headers"]["X-Qorrelate-Signature"],
        body=body,
        now=time.time(),
    )
    sent = orjson.loads(body)["insight"]
    assert sent["kind"] == "double_submit"
    assert sent["title"].startswith("Clicked 'Place order' twice 181 ms apart")
    assert sent["page"] == "/checkout"
    assert sent["sessions_affected"] == 1
    assert sent["url"] == f"https://qorrelate.example.test/o/{org_a.slug}/insights/{insight.pk}/"
    assert AlertDelivery.objects.get(organization=org_a).status == "sent"
    assert not AlertDelivery.objects.filter(organization=org_b).exists()
