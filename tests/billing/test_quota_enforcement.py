"""Free stops at its quota: new sessions and telemetry are refused (429 through the real
intakes), sessions already started continue, other organizations are unaffected, and an
upgrade lifts the stop at once. Paid plans never refuse: they bill the overage."""

import pytest

from apps.billing import quota
from apps.billing.models import Metric
from apps.billing.quota import QuotaExceeded, admit_replay_batch, admit_telemetry
from tests.replay import rrweb
from tests.traces.otlp import span, traces_request

pytestmark = pytest.mark.django_db

FREE_SESSIONS = 1_000
FREE_TELEMETRY = 1_000_000


def _new_session(organization, post_batch, sid=None):
    sid = sid or rrweb.new_session_id()
    return sid, post_batch(organization, rrweb.envelope(sid, 0, rrweb.page_load(rrweb.T0)))


def test_an_organization_at_its_free_quota_is_refused_a_new_session_and_another_is_not(
    org_a, org_b, use
):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, FREE_SESSIONS)
    use(org_b, Metric.REPLAY_SESSIONS_STARTED, FREE_SESSIONS - 1)

    with pytest.raises(QuotaExceeded) as refused:
        admit_replay_batch(organization=org_a, session_is_new=True)
    assert refused.value.reason == quota.SESSIONS_REASON
    assert refused.value.retry_after > 0
    assert "1,000 replay sessions" in str(refused.value)

    admit_replay_batch(organization=org_a, session_is_new=False)  # started sessions continue
    admit_replay_batch(organization=org_b, session_is_new=True)


def test_counts_not_yet_flushed_from_redis_already_count_against_the_quota(org_a, use):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 600)  # in PostgreSQL
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 399, flush=False)  # still in Redis
    admit_replay_batch(organization=org_a, session_is_new=True)
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 1, flush=False)
    with pytest.raises(QuotaExceeded):
        admit_replay_batch(organization=org_a, session_is_new=True)


def test_the_replay_intake_answers_429_with_a_machine_readable_reason_at_the_quota(
    org_a, org_b, use, post_batch
):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, FREE_SESSIONS - 1)
    started, first = _new_session(org_a, post_batch)  # the 1,000th session: admitted
    assert first.status_code == 200, first.content

    _, refused = _new_session(org_a, post_batch)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "quota_exceeded"  # the recorder stops on this code
    assert error["message"]  # logged once in the console by the recorder

    more = post_batch(org_a, rrweb.envelope(started, 1, [rrweb.click(rrweb.T0 + 500)]))
    assert more.status_code == 200, "a session that started before the stop continues"
    _, other = _new_session(org_b, post_batch)
    assert other.status_code == 200


def test_an_upgrade_lifts_the_stop_immediately(org_a, use, post_batch, put_on_plan):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, FREE_SESSIONS)
    assert _new_session(org_a, post_batch)[1].status_code == 429
    put_on_plan(org_a, "team")
    assert _new_session(org_a, post_batch)[1].status_code == 200


def test_a_paid_plan_over_its_quota_keeps_accepting_and_bills_overage(org_a, use, put_on_plan):
    put_on_plan(org_a, "team")
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 50_000)
    use(org_a, Metric.SPANS_ACCEPTED, 90_000_000)
    admit_replay_batch(organization=org_a, session_is_new=True)
    admit_telemetry(organization=org_a, signal="spans", count=100)


def test_spans_and_log_records_share_the_free_telemetry_quota(org_a, use):
    use(org_a, Metric.SPANS_ACCEPTED, 600_000)
    use(org_a, Metric.LOG_RECORDS_ACCEPTED, 399_999)
    admit_telemetry(organization=org_a, signal="logs", count=10)
    use(org_a, Metric.LOG_RECORDS_ACCEPTED, 1)
    for signal in ("spans", "traces", "logs"):
        with pytest.raises(QuotaExceeded) as refused:
            admit_telemetry(organization=org_a, signal=signal, count=1)
        assert refused.value.reason == quota.TELEMETRY_REASON
        assert 0 < refused.value.retry_after <= quota.TELEMETRY_RETRY_CAP_SECONDS


def test_the_otlp_intake_answers_429_with_retry_after_over_the_quota(
    org_a, org_b, use, post_otlp, ingest_key
):
    use(org_a, Metric.SPANS_ACCEPTED, FREE_TELEMETRY)
    response = post_otlp("/v1/traces", traces_request([span()]), key=ingest_key(org_a))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600

    accepted = post_otlp("/v1/traces", traces_request([span()]), key=ingest_key(org_b))
    assert accepted.status_code == 200


@pytest.fixture
def post_otlp(client):
    def post(path, body, *, key):
        return client.generic(
            "POST",
            path,
            data=body.SerializeToString(),
            content_type="application/x-protobuf",
            headers={"Authorization": f"Bearer {key}"},
        )

    return post


def test_an_unknown_telemetry_signal_is_a_programming_error(org_a):
    with pytest.raises(ValueError):
        admit_telemetry(organization=org_a, signal="metrics", count=1)


def test_a_downgrade_to_free_brings_the_stop_back_at_once(org_a, use, put_on_plan):
    put_on_plan(org_a, "team")
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 5_000)
    admit_replay_batch(organization=org_a, session_is_new=True)  # Team: skipped, soft plan
    put_on_plan(org_a, "free")
    with pytest.raises(QuotaExceeded):
        admit_replay_batch(organization=org_a, session_is_new=True)


def test_a_plan_change_made_by_another_process_is_seen_within_seconds(
    org_a, use, put_on_plan, monkeypatch
):
    from apps.billing import counters, usage
    from apps.billing.models import Plan, Subscription

    put_on_plan(org_a, "team")
    use(org_a, Metric.SPANS_ACCEPTED, FREE_TELEMETRY)
    admit_telemetry(organization=org_a, signal="spans", count=1)
    # Another process downgrades: the row changes and the plan version is bumped in Redis,
    # but this process's cache is not touched.
    Subscription.objects.filter(organization=org_a).update(plan=Plan.objects.get(code="free"))
    counters.client().incr(counters.plan_version_key(org_a.pk))

    admit_telemetry(organization=org_a, signal="spans", count=1)  # trusted for a few seconds
    monkeypatch.setattr(usage, "SOFT_PLAN_TRUST_SECONDS", 0)
    monkeypatch.setattr(usage, "FAR_BELOW_TRUST_SECONDS", 0)
    with pytest.raises(QuotaExceeded):
        admit_telemetry(organization=org_a, signal="spans", count=1)


def test_far_below_the_quota_a_check_costs_no_round_trip_and_near_it_every_check_reads(
    org_a, use, monkeypatch
):
    from apps.billing import usage

    reads = []
    real = usage.quota_snapshot
    monkeypatch.setattr(quota, "quota_snapshot", lambda **kw: reads.append(1) or real(**kw))
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 100)
    for _ in range(5):
        admit_replay_batch(organization=org_a, session_is_new=True)
    assert len(reads) == 1  # 10 %: trusted for a moment

    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 700)
    monkeypatch.setattr(usage, "FAR_BELOW_TRUST_SECONDS", 0)
    admit_replay_batch(organization=org_a, session_is_new=True)  # 80 %: read again
    monkeypatch.setattr(usage, "FAR_BELOW_TRUST_SECONDS", 2)
    for _ in range(3):
        admit_replay_batch(organization=org_a, session_is_new=True)
    assert len(reads) == 5  # from 80 % on, every check reads
