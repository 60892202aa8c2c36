"""Outbound webhook signatures, the scheme Qorrelate checks on inbound helpdesk webhooks
(apps/tickets/webhooks/signatures.py) turned around: HMAC-SHA256 with the rule's secret over
``<unix seconds>.<body>``, sent as ``X-Qorrelate-Signature: t=<unix seconds>,v1=<hex>``."""

import hashlib
import hmac
import secrets

from apps.tickets.webhooks.signatures import qorrelate_signature

SIGNATURE_HEADER = "X-Qorrelate-Signature"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = qorrelate_signature(secret, timestamp, body).removeprefix("sha256=")
    return f"t={timestamp},v1={digest}"


def verify_signature(*, secret: str, header: str, body: bytes, now: float) -> bool:
    """What a receiver does (the docs show the same): the time is recent and one ``v1`` matches."""
    parts = [item.partition("=") for item in header.split(",")]
    timestamps = [value for key, _, value in parts if key.strip() == "t"]
    given = [value.strip() for key, _, value in parts if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].strip().isdigit() or not given:
        return False
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, value) for value in given)
