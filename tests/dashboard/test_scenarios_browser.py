"""The article's three scenarios, recorded by the demo (real recorder, real intake, real OTLP
helper) and checked where a user would look: the dashboard. Screenshots of every page go to
test-artifacts/."""

import pytest

from apps.insights.models import Finding
from apps.insights.tasks import detect_session
from apps.replay.selectors import session_events
from apps.traces.models import LogRecord
from demo import scenarios
from tests.dashboard.browser import (
    REPLAY_TEXT,
    dashboard_tab,
    open_session,
    stored_session,
    stored_spans,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.live,
]
PLACE_ORDER = "button#place-order"


def click_times(organization, session):
    return [
        e["timestamp"]
        for e in session_events(organization=organization, session=session)
        if e["type"] == 3 and e["data"].get("source") == 2 and e["data"].get("type") == 2
    ]


def pane_entries(page, pane):
    return page.eval_on_selector_all(
        f"[data-pane={pane}] .entry",
        "els => els.map(e => ({t: parseFloat(e.dataset.t), text: e.innerText, cls: e.className,"
        " kind: e.dataset.kind}))",
    )


def test_the_three_scenarios_are_visible_in_the_dashboard(
    browser, live_server, org_a, alice, demo_shop, artifacts_dir
):
    invisible, race, slow = scenarios.record_all(browser, demo_shop.url)
    sessions = {r.name: stored_session(org_a, r.session_id) for r in (invisible, race, slow)}
    stored_spans(org_a, race.session_id, 6)
    wait_for(
        lambda: (
            LogRecord.objects.filter(organization=org_a, session_id=race.session_id).count() >= 4
        ),
        message="the race's backend logs",
    )
    # The detectors read each session before anyone watches it (the worker does this when the
    # recorder stops; here the task runs in the test process).
    for session in sessions.values():
        detect_session(org_a.pk, session.pk)
    page = dashboard_tab(browser, live_server.url, alice)
    base = f"{live_server.url}/o/{org_a.slug}"

    page.goto(f"{base}/sessions/")
    users = page.locator(".session-row .row-link").all_inner_texts()
    assert sorted(users) == ["li.wei", "maria.garcia", "tom.becker"]
    page.screenshot(path=str(artifacts_dir / "dashboard-sessions.png"), full_page=True)

    # 1. The invisible error: two clicks on "Place order", a toast, and nothing on the backend.
    open_session(page, live_server.url, org_a, invisible.session_id)
    clicks = [e for e in pane_entries(page, "events") if PLACE_ORDER in e["text"]]
    assert len(clicks) == 2
    # The server's findings are the rows that say what went wrong, at the clicks they explain
    # (the player works nothing out from the page's markup itself).
    findings = [e for e in pane_entries(page, "events") if e["kind"] == "invisible_error"]
    assert [f["t"] for f in findings] == [c["t"] for c in clicks], (findings, clicks)
    for finding in findings:
        assert finding["text"].count("Invisible error · Clicked 'Place order") == 1
        assert "valid 5-digit ZIP code" in finding["text"] and "then vanished" in finding["text"]
        assert "no request was sent" in finding["text"]
    markers = page.eval_on_selector_all(".marker-finding", "els => els.map(e => e.title)")
    assert len(markers) == 2 and all("Invisible error: Clicked" in m for m in markers), markers
    assert not [e for e in pane_entries(page, "events") if "Message shown" in e["text"]]
    assert page.locator(".head-meta >> text=No backend traces").count() == 1
    assert pane_entries(page, "network") == [] and pane_entries(page, "backend") == []
    page.evaluate(f"() => window.qorrelatePlayer.seek({clicks[0]['t'] + 500})")
    page.click("#ctl-play") if page.get_attribute("#replay", "data-state") == "playing" else None
    wait_for(lambda: "valid 5-digit ZIP code" in page.evaluate(REPLAY_TEXT), message="the toast")
    page.screenshot(path=str(artifacts_dir / "dashboard-session-invisible-error.png"))

    # 2. The race: two clicks 150 ms apart, two requests, two backend traces, the second a 500.
    race_session = sessions[race.name]
    place_order = click_times(org_a, race_session)[-2:]
    assert 110 <= place_order[1] - place_order[0] <= 200, place_order
    open_session(page, live_server.url, org_a, race.session_id)
    clicks = [e["t"] for e in pane_entries(page, "events") if PLACE_ORDER in e["text"]]
    assert len(clicks) == 2 and 110 <= clicks[1] - clicks[0] <= 200
    traces = [e for e in pane_entries(page, "backend") if "kind-trace" in e["cls"]]
    assert len(traces) == 2
    assert ["sev-error" in t["cls"] for t in traces] == [False, True]
    page.click("[data-tab=network]")
    requests = pane_entries(page, "network")
    assert [("201" in r["text"], "500" in r["text"]) for r in requests] == [
        (True, False),
        (False, True),
    ]
    assert page.locator("[data-pane=network] .trace-link").count() == 2
    page.screenshot(path=str(artifacts_dir / "dashboard-session-race-network.png"))
    page.locator("[data-pane=network] .trace-link").last.click()
    page.wait_for_selector("[data-pane=backend].active .wf-row")
    page.screenshot(path=str(artifacts_dir / "dashboard-session-race-backend.png"))

    # 3. The slow page: long tasks on the timeline and in the header.
    open_session(page, live_server.url, org_a, slow.session_id)
    long_tasks = [e for e in pane_entries(page, "events") if "Long task" in e["text"]]
    assert long_tasks
    assert page.locator("#longtask-badge").is_visible()
    assert page.locator(".marker-longtask").count() >= 1
    page.screenshot(path=str(artifacts_dir / "dashboard-session-slow-page.png"))

    # The traces page: the race's two orders, the failed one filterable.
    page.goto(f"{base}/traces/")
    assert page.locator(".traces-table tbody tr", has_text="POST /api/orders").count() == 2
    page.screenshot(path=str(artifacts_dir / "dashboard-traces.png"), full_page=True)
    page.goto(f"{base}/traces/?has_errors=yes")
    assert page.locator(".traces-table tbody tr").count() == 1

    # 4. Insights: each scenario found, explained and grouped before anyone watches a replay.
    found = {
        name: {f.kind: f for f in Finding.objects.filter(organization=org_a, session=session)}
        for name, session in sessions.items()
    }
    toast = found[invisible.name]["invisible_error"]
    assert "valid 5-digit ZIP code" in toast.sentence and "no request was sent" in toast.sentence
    double = found[race.name]["double_submit"]
    assert double.sentence.startswith("Clicked 'Place order")
    assert "twice 1" in double.sentence and "(backend trace " in double.sentence
    assert "POST /api/orders" in double.sentence and "returned 500" in double.sentence
    assert double.backend_error and double.severity == 3
    assert "slow_page" in found[slow.name]
    page.goto(f"{base}/insights/")
    rows = page.locator(".in-list tbody tr").all_inner_texts()
    for kind in ("Double submit", "Invisible error", "Slow page"):
        assert any(kind.lower() in row.lower() for row in rows), (kind, rows)
    page.screenshot(path=str(artifacts_dir / "insights.png"), full_page=True)
    page.click(f"text={double.sentence[:40]}")
    page.wait_for_selector(".in-stats")
    page.screenshot(path=str(artifacts_dir / "insight-double-submit.png"), full_page=True)
    page.click("text=Watch at this moment")
    page.wait_for_selector(".session-findings")
    page.screenshot(path=str(artifacts_dir / "session-with-findings.png"))
    assert page.js_errors == []


def test_filters_are_saved_for_the_organization_from_the_list(
    browser, live_server, org_a, alice, demo_shop, artifacts_dir
):
    race = scenarios.double_click_race(browser, demo_shop.url)
    calm = scenarios.slow_page(browser, demo_shop.url)
    stored_session(org_a, race.session_id)
    stored_session(org_a, calm.session_id)
    page = dashboard_tab(browser, live_server.url, alice)
    page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/")
    page.select_option("#f-errors", "yes")
    page.click("text=Apply filters")
    assert page.locator(".session-row").count() == 1
    page.click("text=Save filter")
    page.fill("#save-name", "Failed checkouts")
    page.click("#save-filter button[type=submit]")
    page.wait_for_selector(".chip >> text=Failed checkouts")
    assert page.locator(".session-row .row-link").all_inner_texts() == ["tom.becker"]
    page.screenshot(path=str(artifacts_dir / "dashboard-sessions-saved-filter.png"), full_page=True)

    page.goto(f"{live_server.url}/o/{org_a.slug}/sessions/")
    assert page.locator(".session-row").count() == 2
    page.click(".chip >> text=Failed checkouts")
    page.wait_for_url("**has_errors=yes**")
    assert page.locator(".session-row").count() == 1
