"""The sampling and retention API: what it returns, validation, and who may do what
(owner alice, member bob, viewer vera of org A; charlie owns org B, the outsider)."""

import pytest

from apps.lifecycle import services
from apps.lifecycle.models import SamplingRule
from tests.lifecycle.recording import age, record

pytestmark = pytest.mark.django_db
ORG = "HTTP_X_QORRELATE_ORGANIZATION"


def test_the_rules_start_with_the_four_defaults_in_order(owner_client):
    body = owner_client.get("/api/v1/sampling-rules").json()
    assert [r["kind"] for r in body] == ["frontend_error", "backend_error", "ticket", "finding"]
    assert body[3]["finding_kinds"] == ["double_submit+backend_error", "invisible_error"]


def test_an_owner_chooses_which_findings_keep_a_session(owner_client):
    rule = owner_client.get("/api/v1/sampling-rules").json()[3]
    changed = owner_client.patch(
        f"/api/v1/sampling-rules/{rule['id']}", {"finding_kinds": ["slow_page"]}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["finding_kinds"] == ["slow_page"]
    refused = owner_client.patch(
        f"/api/v1/sampling-rules/{rule['id']}", {"finding_kinds": ["toast"]}, format="json"
    )
    assert refused.status_code == 400


def test_an_owner_adds_moves_edits_and_deletes_a_segment_rule(owner_client, org_a):
    created = owner_client.post(
        "/api/v1/sampling-rules",
        {"name": "Beta", "user_pattern": "beta-*", "rate": 50, "position": 0},
        format="json",
    )
    assert created.status_code == 201, created.content
    rule = created.json()
    kinds = [r["kind"] for r in owner_client.get("/api/v1/sampling-rules").json()]
    assert kinds[0] == "segment"
    patched = owner_client.patch(
        f"/api/v1/sampling-rules/{rule['id']}", {"rate": 10, "enabled": False}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["rate"] == 10
    assert owner_client.delete(f"/api/v1/sampling-rules/{rule['id']}").status_code == 204
    assert not SamplingRule.objects.filter(pk=rule["id"]).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "rate": 150, "user_ids": ["a"]},
        {"name": "nothing to match"},
        {"kind": "frontend_error"},  # there already
        {"kind": "sometimes"},
        {"user_ids": "not-a-list"},
    ],
)
def test_bad_rules_get_a_4xx_json_error_and_change_nothing(owner_client, body):
    owner_client.get("/api/v1/sampling-rules")
    before = SamplingRule.objects.count()
    response = owner_client.post("/api/v1/sampling-rules", body, format="json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert SamplingRule.objects.count() == before


def test_the_policy_is_read_by_anyone_and_changed_by_admins(owner_client, viewer_client, bob):
    from tests.conftest import _client_for

    assert viewer_client.get("/api/v1/sampling-policy").json()["normal_rate"] == 100
    assert viewer_client.patch("/api/v1/sampling-policy", {"normal_rate": 5}).status_code == 403
    assert _client_for(bob).patch("/api/v1/sampling-policy", {"normal_rate": 5}).status_code == 403
    response = owner_client.patch("/api/v1/sampling-policy", {"normal_rate": 5}, format="json")
    assert response.status_code == 200 and response.json()["normal_rate"] == 5
    bad = owner_client.patch("/api/v1/sampling-policy", {"idle_minutes": 0}, format="json")
    assert bad.status_code == 400


def test_a_tombstone_says_why_there_is_no_replay(viewer_client, org_a):
    services.sampling_policy_update(organization=org_a, normal_rate=0)
    session = age(record(org_a, user_id="jane"), minutes=45)
    services.sessions_decide(organization=org_a, session_pks=[session.pk])
    body = viewer_client.get(f"/api/v1/sampling-decisions/{session.session_id}").json()
    assert body["state"] == "dropped" and body["reason"] == "normal_rate"
    assert body["detail"] == "normal rate 0 %, not in the sample"
    listed = viewer_client.get("/api/v1/sampling-decisions?state=dropped&user_id=jane").json()
    assert [d["session_id"] for d in listed["results"]] == [session.session_id]
    session_body = viewer_client.get(f"/api/v1/sessions/{session.session_id}").json()
    assert session_body["sampling_state"] == "dropped"
    assert session_body["sampling_reason"].startswith("dropped: Normal sampling rate")


def test_an_outsider_sees_no_decision_rule_or_preview_of_another_organization(
    outsider_client, org_a, alice
):
    session = age(record(org_a), minutes=45)
    services.sessions_decide(organization=org_a, session_pks=[session.pk])
    rule = services.rule_create(organization=org_a, name="x", event_name="e")
    # Their own organization: none of org A's rows.
    assert (
        outsider_client.get(f"/api/v1/sampling-decisions/{session.session_id}").status_code == 404
    )
    assert outsider_client.get(f"/api/v1/sampling-rules/{rule.pk}").status_code == 404
    assert outsider_client.delete(f"/api/v1/sampling-rules/{rule.pk}").status_code == 404
    assert outsider_client.get("/api/v1/retention/preview").json()["session_count"] == 0
    # Selecting org A: refused.
    for url in ("/api/v1/sampling-rules", "/api/v1/retention/preview", "/api/v1/retention/policy"):
        assert outsider_client.get(url, **{ORG: org_a.slug}).status_code == 404
    assert SamplingRule.objects.filter(pk=rule.pk).exists()


def test_the_retention_preview_lists_expired_sessions_with_reasons(member_client, org_a):
    old = age(record(org_a), days=30)
    body = member_client.get("/api/v1/retention/preview").json()
    assert body["session_count"] == 1
    assert body["sessions"][0]["session_id"] == old.session_id
    assert body["sessions"][0]["reason"].startswith("normal session, kept")
    assert member_client.get("/api/v1/retention/preview?as_of=yesterday").status_code == 400


def test_the_retention_policy_is_bounded_by_the_plan(owner_client, member_client):
    body = owner_client.get("/api/v1/retention/policy").json()
    assert body["plan_bounds"]["plan"] == "free" and body["effective"]["normal_days"] == 14
    too_long = owner_client.patch("/api/v1/retention/policy", {"normal_days": 365}, format="json")
    assert too_long.status_code == 400
    assert too_long.json()["error"]["code"] == "out_of_plan_bounds"
    ok = owner_client.patch("/api/v1/retention/policy", {"normal_days": 7}, format="json")
    assert ok.status_code == 200 and ok.json()["effective"]["normal_days"] == 7
    member = member_client.patch("/api/v1/retention/policy", {"normal_days": 8}, format="json")
    assert member.status_code == 403


def test_the_deletion_log_lists_what_retention_removed(viewer_client, org_a):
    age(record(org_a), days=30)
    services.retention_run(organization=org_a)
    body = viewer_client.get("/api/v1/retention/deletions").json()
    assert body["results"][0]["kind"] == "sessions" and body["results"][0]["sessions"] == 1


def test_a_read_key_reads_and_cannot_write(api_key_client, org_a):
    client = api_key_client(org_a, scope="read")
    assert client.get("/api/v1/sampling-rules").status_code == 200
    assert client.post("/api/v1/sampling-rules", {"event_name": "x"}).status_code == 403
    writer = api_key_client(org_a, scope="write")  # write keys act as members, not admins
    assert writer.patch("/api/v1/retention/policy", {"normal_days": 7}).status_code == 403
