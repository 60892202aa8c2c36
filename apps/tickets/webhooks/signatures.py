"""Webhook signatures. Every scheme is HMAC-SHA256 with the integration's secret and carries a
time, checked within five minutes; an exact replay inside that time is refused.

* Qorrelate (any integration): ``X-Qorrelate-Timestamp: <unix seconds>`` and
  ``X-Qorrelate-Signature: sha256=<hex of HMAC(secret, timestamp + "." + body)>``.
* Zendesk's own (Zendesk integrations): ``X-Zendesk-Webhook-Signature-Timestamp`` (ISO 8601)
  and ``X-Zendesk-Webhook-Signature: base64(HMAC(secret, timestamp + body))``.
* Jira's own (Jira integrations): ``X-Hub-Signature: sha256=<hex of HMAC(secret, body)>``; the
  time is the payload's ``timestamp`` (epoch ms), which the signature covers.
"""

import base64
import hashlib
import hmac
from datetime import datetime
from functools import partial

import orjson
from django.core.cache import cache
from django.utils.dateparse import parse_datetime

from apps.core.errors import AuthenticationFailed

from ..models import HelpdeskIntegration, IntegrationKind

TOLERANCE_SECONDS = 300
QORRELATE_TIMESTAMP = "X-Qorrelate-Timestamp"
QORRELATE_SIGNATURE = "X-Qorrelate-Signature"
ZENDESK_TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
ZENDESK_SIGNATURE = "X-Zendesk-Webhook-Signature"
JIRA_SIGNATURE = "X-Hub-Signature"


def _mac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def qorrelate_signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value a sender computes (also what the docs and tests use)."""
    return "sha256=" + _mac(secret, f"{timestamp}.".encode() + body).hex()


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    return base64.b64encode(_mac(secret, timestamp.encode() + body)).decode()


def jira_signature(secret: str, body: bytes) -> str:
    return "sha256=" + _mac(secret, body).hex()


def _strip_scheme(value: str) -> str:
    value = value.strip()
    for prefix in ("sha256=", "v1="):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value


def _unix_seconds(value: str) -> float:
    value = (value or "").strip()
    if value.isdigit():
        number = int(value)
        return number / 1000 if number > 10**11 else float(number)  # ms are accepted too
    parsed = None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise AuthenticationFailed(
            "The signature timestamp is missing or unreadable.", code="invalid_timestamp"
        )
    return parsed.timestamp()


def _fresh(timestamp: float, now: datetime) -> None:
    if abs(now.timestamp() - timestamp) > TOLERANCE_SECONDS:
        raise AuthenticationFailed(
            f"The signature timestamp is more than {TOLERANCE_SECONDS // 60} minutes away "
            "from now; refusing a possible replay.",
            code="stale_timestamp",
        )


def _jira_timestamp(body: bytes) -> float:
    try:
        value = orjson.loads(body).get("timestamp")
    except (orjson.JSONDecodeError, AttributeError):
        value = None
    if not isinstance(value, int) or isinstance(value, bool):
        raise AuthenticationFailed(
            "A Jira delivery carries its time in the payload's timestamp (epoch ms).",
            code="invalid_timestamp",
        )
    return value / 1000


def verify(*, integration: HelpdeskIntegration, headers, body: bytes, now: datetime) -> str:
    """Check the delivery's signature and time; returns the signature (the replay key).
    Raises AuthenticationFailed (401) with the reason."""
    secret = integration.secret
    if headers.get(QORRELATE_SIGNATURE):
        raw_ts = headers.get(QORRELATE_TIMESTAMP, "")
        given = _strip_scheme(headers[QORRELATE_SIGNATURE])
        expected = _strip_scheme(qorrelate_signature(secret, raw_ts.strip(), body))
        read_time = partial(_unix_seconds, raw_ts)
    elif integration.kind == IntegrationKind.ZENDESK and headers.get(ZENDESK_SIGNATURE):
        raw_ts = headers.get(ZENDESK_TIMESTAMP, "")
        given = headers[ZENDESK_SIGNATURE].strip()
        expected = zendesk_signature(secret, raw_ts, body)
        read_time = partial(_unix_seconds, raw_ts)
    elif integration.kind == IntegrationKind.JIRA and headers.get(JIRA_SIGNATURE):
        given = _strip_scheme(headers[JIRA_SIGNATURE])
        expected = _strip_scheme(jira_signature(secret, body))
        read_time = partial(_jira_timestamp, body)
    else:
        raise AuthenticationFailed(
            f"The delivery is not signed: send {QORRELATE_TIMESTAMP} and {QORRELATE_SIGNATURE}.",
            code="missing_signature",
        )
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise AuthenticationFailed(
            "The signature does not match this integration's secret.", code="bad_signature"
        )
    _fresh(read_time(), now)
    return given


def _seen_key(integration: HelpdeskIntegration, signature: str) -> str:
    digest = hashlib.sha256(signature.encode()).hexdigest()
    return f"tickets:webhook:seen:{integration.pk}:{digest}"


def remember(*, integration: HelpdeskIntegration, signature: str) -> None:
    """Refuse a second delivery with the same signature while its timestamp is still fresh."""
    key = _seen_key(integration, signature)
    if not cache.add(key, 1, timeout=2 * TOLERANCE_SECONDS + 60):
        raise AuthenticationFailed(
            "This exact delivery was already received; refusing a replay.", code="replayed"
        )


def forget(*, integration: HelpdeskIntegration, signature: str) -> None:
    """Let the sender retry a delivery we failed to process."""
    cache.delete(_seen_key(integration, signature))
