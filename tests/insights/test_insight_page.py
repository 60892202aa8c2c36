"""The insight page says how severe the problem is (and when it got worse or came back) and
shows the latest finding in detail: the requests with their answers and backend traces, the
message and how long it stayed, the blocking and the web vitals."""

import pytest

from apps.insights.models import Finding, Insight, InsightStatus, Severity
from tests.alerts.conftest import make_insight

pytestmark = pytest.mark.django_db
TRACE_OK, TRACE_ERR = "a" * 32, "b" * 32


def _page(client, organization, insight) -> str:
    page = client.get(f"/o/{organization.slug}/insights/{insight.pk}/")
    assert page.status_code == 200
    return page.content.decode()


def test_a_double_submit_shows_both_requests_their_answers_and_which_trace_errored(
    client, org_a, alice
):
    insight = make_insight(org_a, kind="double_submit", severity=Severity.MEDIUM)
    Finding.objects.filter(insight=insight).update(
        evidence={
            "requests": [
                {
                    "offset_ms": 2327,
                    "method": "POST",
                    "url": "https://shop.test/api/orders",
                    "status": 201,
                    "duration_ms": 365,
                    "trace_id": TRACE_OK,
                },
                {
                    "offset_ms": 2483,
                    "method": "POST",
                    "url": "https://shop.test/api/orders",
                    "status": 500,
                    "duration_ms": 372,
                    "trace_id": TRACE_ERR,
                },
            ],
            "backend_errors": [TRACE_ERR],
        }
    )
    # The group got worse (the second order failed): the page says so.
    insight = Insight.objects.get(pk=insight.pk)
    insight.severity = Severity.HIGH
    insight.save(update_fields=["severity"])
    client.force_login(alice)
    html = _page(client, org_a, insight)
    assert "High severity" in html and "raised" in html
    assert "The latest one, in detail" in html
    assert html.count("POST https://shop.test/api/orders") == 2
    assert ">201<" in html and ">500<" in html
    assert "errored" in html
    # Neither trace was received: the ids are shown, not linked to a missing page.
    assert f"/traces/{TRACE_ERR}" not in html


def test_an_invisible_error_shows_the_message_and_how_long_it_stayed(client, org_a, alice):
    insight = make_insight(org_a, kind="invisible_error", severity=Severity.MEDIUM)
    Finding.objects.filter(insight=insight).update(
        evidence={"message": "Please enter a valid ZIP code", "shown_ms": 2000, "live_region": True}
    )
    client.force_login(alice)
    html = _page(client, org_a, insight)
    assert "Medium severity" in html
    assert "“Please enter a valid ZIP code”" in html and "2.0 s" in html and "a live region" in html


def test_a_slow_page_shows_the_blocking_and_the_pages_web_vitals(client, org_a, alice):
    insight = make_insight(org_a, kind="slow_page")
    Finding.objects.filter(insight=insight).update(
        evidence={
            "blocking_ms": 4700,
            "long_tasks": 4,
            "longest_ms": 4600,
            "measured_by": ["frame"],
            "vitals": {"INP": 640, "LCP": 2400, "CLS": 0.21},
        }
    )
    client.force_login(alice)
    html = _page(client, org_a, insight)
    for text in ("4.7 s", "4.6 s", "frame", "INP", "640 ms", "LCP", "2.4 s", "0.210"):
        assert text in html, text


def test_a_regressed_insight_says_when_it_came_back(client, org_a, alice):
    insight = make_insight(org_a)
    insight = Insight.objects.get(pk=insight.pk)
    insight.status, insight.regressed = InsightStatus.NEW, True
    insight.save(update_fields=["status", "regressed"])
    assert Insight.objects.get(pk=insight.pk).regressed_at is not None
    client.force_login(alice)
    html = _page(client, org_a, insight)
    assert "Regressed" in html and "after it was resolved" in html
