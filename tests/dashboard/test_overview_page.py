"""The Overview, the first page after sign-up: with no sessions it says how to send one; with
sessions it says what arrived, with the same numbers the sessions API finds."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.replay import rrweb
from tests.traces import otlp

pytestmark = pytest.mark.django_db
DAY_MS = 24 * 3600 * 1000


def _overview(client, user, org):
    client.force_login(user)
    response = client.get(f"/o/{org.slug}/")
    assert response.status_code == 200
    return response


def test_a_new_organization_is_told_how_to_record_its_first_session(client, alice, org_a):
    html = _overview(client, alice, org_a).content.decode()
    assert "No sessions recorded yet" in html
    assert 'id="script-tag"' in html and "Send a test event" in html


def test_with_sessions_the_overview_counts_them_as_the_sessions_api_does(
    client, owner_client, alice, org_a, record_session
):
    now = int(time.time() * 1000)
    record_session(org_a, start=now - 3 * DAY_MS, user={"id": "old@shop.test"})
    record_session(org_a, start=now - 3_600_000, user={"id": "ok@shop.test"})
    record_session(
        org_a,
        start=now - 600_000,
        user={"id": "maria@shop.test"},
        events=[rrweb.uncaught_error(now - 599_000, "TypeError: total is undefined")],
    )
    response = _overview(client, alice, org_a)
    html = response.content.decode()
    assert "No sessions recorded yet" not in html
    overview = response.context["overview"]

    def api_count(**params):
        found = owner_client.get(
            "/api/v1/sessions", params, HTTP_X_QORRELATE_ORGANIZATION=org_a.slug
        ).json()
        return len(found["results"])

    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert overview.session_count == api_count() == 3
    assert overview.sessions_last_day == api_count(started_after=since) == 2
    assert overview.errors_last_day == api_count(started_after=since, has_errors="true") == 1
    assert 'data-stat="sessions">3<' in html
    assert 'data-stat="last-day">2<' in html
    assert 'data-stat="errors">1<' in html
    # The latest sessions, newest first, link to their replays.
    assert html.index("maria@shop.test") < html.index("ok@shop.test") < html.index("old@shop.test")
    assert f"/o/{org_a.slug}/sessions/{overview.recent[0].session_id}/" in html
    # No backend telemetry yet: the setup step says so.
    assert overview.backend_linked is False
    assert "No span or log carries a session id yet" in html


def test_an_outsider_gets_404_on_the_overview(client, charlie, org_a):
    client.force_login(charlie)
    assert client.get(f"/o/{org_a.slug}/").status_code == 404


def test_once_spans_carry_session_ids_the_backend_step_is_done(
    client, alice, org_a, record_session, send_telemetry
):
    session = record_session(org_a, start=int(time.time() * 1000) - 60_000)
    send_telemetry(org_a, spans=[otlp.span(attributes={"session.id": session.session_id})])
    response = _overview(client, alice, org_a)
    assert response.context["overview"].backend_linked is True
    assert "Spans and logs carry session ids" in response.content.decode()
