"""GET /usage, GET/PATCH /subscription, GET /invoices: scoped to the caller's organization,
plan changes for owners only, and every API call counted."""

import pytest

from apps.billing.flush import flush_usage_counters
from apps.billing.models import DailyUsage, Metric
from apps.billing.periods import current_period, utc_today
from apps.billing.selectors import subscription_for

pytestmark = pytest.mark.django_db


def test_usage_lists_every_day_of_the_month_with_the_quotas(owner_client, org_a, org_b, use):
    use(org_a, Metric.REPLAY_SESSIONS_STARTED, 250)
    use(org_a, Metric.LOG_RECORDS_ACCEPTED, 5_000, flush=False)
    use(org_b, Metric.REPLAY_SESSIONS_STARTED, 999)

    body = owner_client.get("/api/v1/usage").json()

    period = current_period()
    assert body["period"] == {"start": period.start.isoformat(), "end": period.end.isoformat()}
    assert body["plan"] == "free" and body["hard_limit"] is True
    assert body["replay_sessions"] == {"used": 250, "quota": 1_000, "percent": 25}
    assert body["telemetry"]["used"] == 5_000
    assert len(body["days"]) == len(period.days)
    today = next(day for day in body["days"] if day["date"] == utc_today().isoformat())
    assert today["replay_sessions_started"] == 250 and today["log_records_accepted"] == 5_000


def test_usage_of_another_month_and_a_bad_month(owner_client, org_a):
    previous = current_period().previous()
    body = owner_client.get(f"/api/v1/usage?period={previous.start:%Y-%m}").json()
    assert body["period"]["start"] == previous.start.isoformat()
    bad = owner_client.get("/api/v1/usage?period=last-tuesday")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


def test_the_subscription_shows_the_plan_period_and_retention_bounds(viewer_client, org_a):
    body = viewer_client.get("/api/v1/subscription").json()
    assert body["plan"]["code"] == "free"
    assert body["status"] == "active"
    assert body["retention_bounds"]["normal_days_max"] == 14
    assert body["payment_provider"] == "none"
    assert body["current_period"]["start"] == current_period().start.isoformat()


def test_an_owner_changes_the_plan_with_patch(owner_client, org_a):
    response = owner_client.patch("/api/v1/subscription", {"plan": "business"}, format="json")
    assert response.status_code == 200
    assert response.json()["plan"]["code"] == "business"
    assert response.json()["retention_bounds"]["error_days_max"] == 365
    assert subscription_for(organization=org_a).plan.code == "business"


@pytest.mark.parametrize("who", ["member_client", "viewer_client"])
def test_members_and_viewers_cannot_change_the_plan(request, org_a, who):
    response = request.getfixturevalue(who).patch(
        "/api/v1/subscription", {"plan": "business"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert subscription_for(organization=org_a).plan.code == "free"


def test_an_outsider_cannot_read_or_change_another_organizations_billing(
    outsider_client, org_a, alice
):
    for path in ("/api/v1/usage", "/api/v1/subscription", "/api/v1/invoices"):
        response = outsider_client.get(path, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug)
        assert response.status_code == 404, path
    response = outsider_client.patch(
        "/api/v1/subscription",
        {"plan": "business"},
        format="json",
        HTTP_X_QORRELATE_ORGANIZATION=org_a.slug,
    )
    assert response.status_code == 404
    assert subscription_for(organization=org_a).plan.code == "free"


def test_an_api_key_never_acts_as_an_owner(api_key_client, org_a):
    client = api_key_client(org_a, scope="write")
    response = client.patch("/api/v1/subscription", {"plan": "team"}, format="json")
    assert response.status_code == 403


def test_a_bad_plan_change_is_a_4xx_json_error(owner_client, org_a):
    unknown = owner_client.patch("/api/v1/subscription", {"plan": "platinum"}, format="json")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_plan"
    custom = owner_client.patch("/api/v1/subscription", {"plan": "enterprise"}, format="json")
    assert custom.status_code == 400
    assert custom.json()["error"]["code"] == "plan_not_self_service"
    empty = owner_client.patch("/api/v1/subscription", {}, format="json")
    assert empty.status_code == 400


def test_every_api_call_is_counted_for_its_organization(api_key_client, org_a, org_b):
    client = api_key_client(org_a)
    for _ in range(3):
        assert client.get("/api/v1/subscription").status_code == 200
    assert client.get("/api/v1/invoices/999999").status_code == 404  # a call all the same
    api_key_client(org_b).get("/api/v1/usage")
    flush_usage_counters()

    counted = DailyUsage.objects.get(organization=org_a, metric=Metric.API_CALLS)
    assert counted.quantity == 4
    assert DailyUsage.objects.get(organization=org_b, metric=Metric.API_CALLS).quantity == 1
