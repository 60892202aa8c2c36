"""The tickets REST API: create, read, change, close, upsert, link and unlink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.tickets.models import Ticket, TicketSessionLink, TicketStatusChange, TicketTraceLink

from .factories import make_mark, make_span

pytestmark = pytest.mark.django_db

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _create(client, **fields):
    body = {"source": "zendesk", "external_id": "1001", "subject": "Cannot pay"} | fields
    return client.post("/api/v1/tickets", body, format="json")


def test_a_member_creates_a_ticket_and_reads_it_back(member_client, org_a):
    response = _create(member_client, reporter_email="Dana@Example.com", url="https://x.test/1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open" and body["reporter_email"] == "dana@example.com"
    assert body["status_history"][0]["to_status"] == "open"
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.organization == org_a

    detail = member_client.get(f"/api/v1/tickets/{ticket.pk}")
    assert detail.status_code == 200 and detail.json()["external_id"] == "1001"


def test_creating_the_same_external_id_twice_is_a_409(member_client):
    assert _create(member_client).status_code == 201
    response = _create(member_client)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ticket_exists"
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"source": "myspace"},
        {"status": "done"},
        {"external_id": ""},
        {"reporter_email": "not-an-email"},
        {"url": "javascript:alert(1)"},
        {"link_window_hours": 0},
        {"created_at": "yesterday"},
        {"session_ids": "abc"},
    ],
)
def test_bad_input_is_a_400_with_a_json_error_and_creates_nothing(member_client, fields):
    response = _create(member_client, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert Ticket.objects.count() == 0


def test_create_with_an_unknown_session_id_is_a_404_and_creates_nothing(member_client):
    response = _create(member_client, session_ids=["nosuchsession1"])
    assert response.status_code == 404
    assert Ticket.objects.count() == 0


def test_the_list_filters_by_status_source_reporter_and_text(member_client, org_a, make_ticket):
    make_ticket(org_a, subject="Checkout is broken", reporter_user_id="u-1")
    make_ticket(org_a, source="jira", subject="Login loop", status="pending")
    solved = make_ticket(org_a, subject="Slow search", status="solved")

    def ids(query):
        response = member_client.get(f"/api/v1/tickets?{query}")
        assert response.status_code == 200, response.content
        return [row["subject"] for row in response.json()["results"]]

    assert len(ids("")) == 3
    assert ids("status=pending") == ["Login loop"]
    assert ids("source=jira") == ["Login loop"]
    assert ids("reporter=u-1") == ["Checkout is broken"]
    assert ids("q=search") == ["Slow search"]
    assert sorted(ids("open=true")) == ["Checkout is broken", "Login loop"]
    assert ids(f"q={solved.external_id}") == ["Slow search"]
    assert member_client.get("/api/v1/tickets?status=nope").status_code == 400


def test_patch_changes_fields_and_a_status_change_is_history(member_client, org_a, make_ticket):
    ticket = make_ticket(org_a)
    response = member_client.patch(
        f"/api/v1/tickets/{ticket.pk}", {"subject": "New", "status": "solved"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subject"] == "New" and body["status"] == "solved" and body["closed_at"]
    assert [c["to_status"] for c in body["status_history"]] == ["open", "solved"]


def test_close_and_reopen_set_and_clear_closed_at(member_client, org_a, make_ticket):
    ticket = make_ticket(org_a)
    closed = member_client.post(f"/api/v1/tickets/{ticket.pk}/close", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["closed_at"]
    reopened = member_client.post(f"/api/v1/tickets/{ticket.pk}/reopen")
    assert reopened.json()["status"] == "open" and reopened.json()["closed_at"] is None
    bad = member_client.post(f"/api/v1/tickets/{ticket.pk}/close", {"status": "open"})
    assert bad.status_code == 400


def test_upsert_is_idempotent(member_client):
    body = {"source": "jira", "external_id": "SHOP-12", "subject": "Cart empties", "status": "open"}
    first = member_client.post("/api/v1/tickets/upsert", body, format="json")
    second = member_client.post("/api/v1/tickets/upsert", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert TicketStatusChange.objects.count() == 1
    third = member_client.post("/api/v1/tickets/upsert", body | {"status": "closed"}, format="json")
    assert third.status_code == 200 and third.json()["closed_at"]
    assert Ticket.objects.count() == 1


def test_linking_listing_and_unlinking_sessions(member_client, org_a, make_ticket, make_session):
    ticket = make_ticket(org_a)
    session = make_session(org_a, user_id="u-1")
    make_mark(session, offset_ms=65_000)
    url = f"/api/v1/tickets/{ticket.pk}/sessions"

    linked = member_client.post(url, {"session_id": session.session_id, "reason": "seen"})
    assert linked.status_code == 201, linked.content
    assert linked.json()["how"] == "api" and linked.json()["reason"] == "seen"
    again = member_client.post(url, {"session_id": session.session_id})
    assert again.status_code == 200

    listed = member_client.get(url).json()["results"]
    assert [row["session_id"] for row in listed] == [session.session_id]
    assert listed[0]["linked_by"] == "bob@acme.test"
    assert listed[0]["replay_url"].endswith(f"/r/{org_a.public_id}/{session.session_id}?t=63000")

    gone = member_client.delete(f"{url}?session_id={session.session_id}")
    assert gone.status_code == 204
    assert not TicketSessionLink.objects.exists()
    assert (
        member_client.delete(url, {"session_id": session.session_id}, format="json").status_code
        == 404
    )


def test_linking_another_organizations_session_is_a_404(
    member_client, org_a, org_b, make_ticket, make_session
):
    ticket = make_ticket(org_a)
    theirs = make_session(org_b)
    response = member_client.post(
        f"/api/v1/tickets/{ticket.pk}/sessions", {"session_id": theirs.session_id}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not TicketSessionLink.objects.exists()


def test_linking_and_unlinking_traces(member_client, org_a, org_b, make_ticket):
    ticket = make_ticket(org_a)
    make_span(org_a, TRACE, is_error=True)
    make_span(org_b, "a" * 32)
    url = f"/api/v1/tickets/{ticket.pk}/traces"

    created = member_client.post(url, {"trace_id": TRACE.upper()})
    assert created.status_code == 201, created.content
    assert created.json()["trace_id"] == TRACE
    listed = member_client.get(url).json()["results"]
    assert listed[0]["root_name"] == "GET /api/cart" and listed[0]["error_count"] == 1

    assert member_client.post(url, {"trace_id": "a" * 32}).status_code == 404  # org B's
    assert member_client.post(url, {"trace_id": "xyz"}).status_code == 400
    assert member_client.delete(url, {"trace_id": TRACE}, format="json").status_code == 204
    assert not TicketTraceLink.objects.exists()


def test_reporter_sessions_use_the_hours_asked_for(member_client, org_a, make_ticket, make_session):
    now = timezone.now()
    recent = make_session(org_a, user_id="u-9", started_at=now - timedelta(hours=2))
    older = make_session(org_a, user_id="u-9", started_at=now - timedelta(hours=40))
    ticket = make_ticket(org_a, reporter_user_id="u-9", created_at=now)
    url = f"/api/v1/tickets/{ticket.pk}/reporter-sessions"

    default = member_client.get(url).json()["results"]
    assert [(r["session_id"], r["linked"]) for r in default] == [(recent.session_id, True)]
    wide = member_client.get(f"{url}?hours=48").json()["results"]
    assert [r["session_id"] for r in wide] == [recent.session_id, older.session_id]
    assert member_client.get(f"{url}?hours=abc").status_code == 400


def test_a_sessions_tickets(member_client, org_a, make_ticket, make_session):
    session = make_session(org_a, user_id="u-2")
    ticket = make_ticket(org_a, reporter_user_id="u-2")
    make_ticket(org_a, subject="unrelated")
    response = member_client.get(f"/api/v1/sessions/{session.session_id}/tickets")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["id"], r["how"]) for r in rows] == [(ticket.pk, "automatic")]
    assert member_client.get("/api/v1/sessions/nosuchsession1/tickets").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(member_client):
    response = member_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"] if response["Content-Type"].startswith("application/json") else {}
    )
    text = response.content.decode()
    for path in (
        "/api/v1/tickets/",
        "/api/v1/tickets/{id}/",
        "/api/v1/tickets/{id}/close/",
        "/api/v1/tickets/upsert/",
        "/api/v1/tickets/{id}/sessions/",
        "/api/v1/tickets/{id}/traces/",
        "/api/v1/tickets/{id}/reporter-sessions/",
        "/api/v1/sessions/{session_id}/tickets/",
    ):
        assert path in paths or path in text, path
