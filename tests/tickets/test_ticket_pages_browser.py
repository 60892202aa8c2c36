"""The tickets pages in a real browser, with screenshots in test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.tickets import services
from tests.conftest import log_in

from .factories import make_mark, make_span

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _story(org, make_session):
    """A support inbox with one ticket whose reporter had a session with errors."""
    now = timezone.now()
    crash = make_session(
        org,
        user_id="u-1042",
        user_traits={"email": "dana@example.com"},
        started_at=now - timedelta(minutes=50),
        minutes=7,
        error_count=3,
        entry_url="https://shop.example.test/cart",
    )
    for offset, kind, label in [
        (0, "navigation", "https://shop.example.test/cart"),
        (95_000, "navigation", "https://shop.example.test/checkout"),
        (190_000, "rage_click", "button#pay"),
        (200_000, "failed_request", "POST /api/payments → 500"),
        (202_000, "error", "TypeError: Cannot read properties of undefined (reading 'token')"),
        (330_000, "console_error", "Payment widget failed to mount"),
    ]:
        make_mark(crash, offset_ms=offset, kind=kind, label=label)
    make_session(
        org,
        user_id="u-1042",
        started_at=now - timedelta(hours=20),
        minutes=12,
        entry_url="https://shop.example.test/",
    )
    make_session(org, user_id="u-1042", started_at=now - timedelta(days=4), minutes=3)
    ticket = services.ticket_create(
        organization=org,
        source="zendesk",
        external_id="48213",
        subject="I click Pay and nothing happens",
        url="https://acme.zendesk.com/agent/tickets/48213",
        reporter_user_id="u-1042",
        reporter_email="dana@example.com",
        created_at=now - timedelta(minutes=20),
    )
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    make_span(org, trace_id, name="POST /api/payments", is_error=True, http_status_code=500)
    services.ticket_link_trace(organization=org, ticket=ticket, trace_id=trace_id)
    for number, (subject, status, source, reporter) in enumerate(
        [
            ("Coupon code SPRING is rejected", "pending", "jira", "u-77"),
            ("Invoice PDF shows the wrong VAT number", "open", "intercom", ""),
            ("Search results load very slowly", "solved", "zendesk", "u-310"),
            ("Cannot change my shipping address", "closed", "freshdesk", "u-12"),
        ]
    ):
        services.ticket_create(
            organization=org,
            source=source,
            external_id=str(48100 + number),
            subject=subject,
            status=status,
            reporter_user_id=reporter,
            created_at=now - timedelta(hours=3 + number * 9),
        )
    return ticket, crash


def test_the_tickets_list_and_detail_look_finished(
    live_server, page, artifacts_dir, org_a, alice, make_session
):
    ticket, crash = _story(org_a, make_session)
    log_in(page, live_server, alice.email)

    page.goto(f"{live_server.url}/o/{org_a.slug}/tickets/")
    assert page.locator("h1").inner_text() == "Tickets"
    assert page.locator("text=I click Pay and nothing happens").is_visible()
    assert page.locator(".badge-warn", has_text="pending").is_visible()
    assert page.locator("nav a.active", has_text="Tickets").is_visible()
    page.screenshot(path=str(artifacts_dir / "tickets-list.png"), full_page=True)

    page.click("text=I click Pay and nothing happens")
    page.wait_for_url(f"**/tickets/{ticket.pk}/")
    assert page.locator(".tk-session-id", has_text=crash.session_id).is_visible()
    assert page.locator(".tk-timeline .tk-dot.err").count() >= 3
    assert page.locator("text=POST /api/payments").is_visible()
    replay = page.locator(".tk-copy input").first.input_value()
    assert replay.endswith(f"/r/{org_a.public_id}/{crash.session_id}?t=198000")
    page.screenshot(path=str(artifacts_dir / "ticket-detail.png"), full_page=True)

    page.click("button:has-text('Mark solved')")
    page.wait_for_load_state()
    assert page.locator(".flash-success").is_visible()
    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.closed_at is not None


def test_the_integrations_page_shows_a_new_secret_once(
    live_server, page, artifacts_dir, org_a, alice
):
    log_in(page, live_server, alice.email)
    page.goto(f"{live_server.url}/o/{org_a.slug}/integrations/")
    assert page.locator("text=No helpdesk connected yet").is_visible()
    page.select_option("#id_kind", "zendesk")
    page.fill("#id_name", "Zendesk (EU)")
    page.click("button:has-text('Create webhook URL')")
    page.wait_for_load_state()
    secret = page.locator("#new-secret").inner_text()
    assert secret.startswith("whsec_")
    page.screenshot(path=str(artifacts_dir / "ticket-integrations.png"), full_page=True)
    page.goto(f"{live_server.url}/o/{org_a.slug}/integrations/")
    assert secret not in page.content()
