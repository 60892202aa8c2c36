"""Helpdesk payloads in the shapes the real systems send, and signing helpers."""

import time

import orjson

from apps.tickets.webhooks.signatures import (
    jira_signature,
    qorrelate_signature,
    zendesk_signature,
)


def generic(external_id="T-100", status="open", **ticket):
    return {
        "event": "ticket.updated",
        "ticket": {
            "source": "intercom",
            "external_id": external_id,
            "subject": "The pay button does nothing",
            "status": status,
            "url": "https://help.example.test/tickets/T-100",
            "reporter": {"user_id": "u-42", "email": "dana@example.com"},
            "created_at": "2030-01-01T10:00:00Z",
        }
        | ticket,
    }


def zendesk_trigger(ticket_id="35436", status="Open", **ticket):
    """The JSON body docs/tickets.md recommends for a Zendesk trigger, as Zendesk renders it."""
    return {
        "ticket": {
            "id": ticket_id,
            "title": "Checkout spins forever",
            "status": status,
            "url": "acme.zendesk.com/agent/tickets/35436",
            "created_at": "2030-01-01T09:30Z",
            "requester": {"email": "dana@example.com", "external_id": "u-42"},
        }
        | ticket
    }


def zendesk_status_changed(ticket_id="35436", current="SOLVED", previous="OPEN"):
    """A Zendesk ticket event webhook (zen:event-type:ticket.status_changed)."""
    return {
        "type": "zen:event-type:ticket.status_changed",
        "account_id": 88888888,
        "id": "01HNXXXX-STATUSCHANGE",
        "time": "2030-01-02T17:18:10Z",
        "zendesk_event_version": "2022-11-06",
        "subject": f"zen:ticket:{ticket_id}",
        "detail": {
            "id": ticket_id,
            "status": current,
            "subject": "Checkout spins forever",
            "requester_id": "20978392",
            "created_at": "2030-01-01T09:30:00Z",
            "updated_at": "2030-01-02T17:18:10Z",
            "via": {"channel": "web"},
        },
        "event": {"current": current, "previous": previous},
    }


def jira_issue(event="jira:issue_updated", category="new", status_name="To Do", key="SHOP-7"):
    return {
        "timestamp": int(time.time() * 1000),
        "webhookEvent": event,
        "issue_event_type_name": "issue_generic",
        "user": {"accountId": "557058:c9eb", "displayName": "Agent"},
        "issue": {
            "id": "10003",
            "self": "https://acme.atlassian.net/rest/api/2/issue/10003",
            "key": key,
            "fields": {
                "summary": "Cart total is wrong after coupon",
                "status": {
                    "name": status_name,
                    "statusCategory": {"id": 2, "key": category, "name": "To Do"},
                },
                "reporter": {"accountId": "5b10a", "emailAddress": "dana@example.com"},
                "created": "2030-01-01T12:34:56.000+0000",
            },
        },
        "changelog": {"items": []},
    }


def body_of(payload) -> bytes:
    return payload if isinstance(payload, bytes) else orjson.dumps(payload)


def qorrelate_headers(secret, body: bytes, timestamp=None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "X-Qorrelate-Timestamp": str(timestamp),
        "X-Qorrelate-Signature": qorrelate_signature(secret, timestamp, body),
    }


def zendesk_headers(secret, body: bytes, timestamp=None) -> dict:
    timestamp = timestamp or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
        "X-Zendesk-Webhook-Signature": zendesk_signature(secret, timestamp, body),
    }


def jira_headers(secret, body: bytes) -> dict:
    return {"X-Hub-Signature": jira_signature(secret, body)}
