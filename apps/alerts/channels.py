"""Sending one delivery over its channel. A failure raises ChannelError with what the log
shows (and the HTTP status, when there was one); the caller decides about retries."""

import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import orjson
from django.conf import settings
from django.core.mail import send_mail

from .models import AlertRule, Channel
from .payload import email_body, email_subject
from .signing import SIGNATURE_HEADER, signature_header

TIMEOUT_SECONDS = 10
USER_AGENT = "Qorrelate-Alerts/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer, not a new address to post the alert to.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class ChannelError(Exception):
    def __init__(self, message: str, *, response_code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.message = message[:1000]
        self.response_code = response_code
        self.permanent = permanent  # trying again cannot help


def encode(payload: dict) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def _refuse_private(url: str) -> None:
    """Unless the install allows it, a webhook may not reach loopback, private, link-local or
    other non-public addresses (a tenant must not reach the install's internal services)."""
    if settings.ALERT_WEBHOOKS_ALLOW_PRIVATE:
        return
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as exc:
        raise ChannelError(f"Could not resolve the webhook's host: {exc}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise ChannelError(
                f"The webhook's host resolves to {address}, a private address; "
                "alerts go to public addresses only on this install.",
                permanent=True,
            )


def send_webhook(*, rule: AlertRule, payload: dict, delivery_id: int | None) -> int:
    body = encode(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(
            secret=rule.secret, timestamp=int(time.time()), body=body
        ),
    }
    if delivery_id is not None:
        # Stays the same across retries: a receiver can drop a delivery it already handled.
        headers["X-Qorrelate-Delivery"] = str(delivery_id)
    if urllib.parse.urlsplit(rule.webhook_url).scheme not in ("http", "https"):
        raise ChannelError("The webhook URL must start with http:// or https://.", permanent=True)
    _refuse_private(rule.webhook_url)
    # The scheme is checked just above: only http(s) is ever opened.
    request = urllib.request.Request(rule.webhook_url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        raise ChannelError(
            f"The webhook answered HTTP {exc.code}.", response_code=exc.code
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(f"Could not reach the webhook: {reason}.") from None


def send_email(*, rule: AlertRule, payload: dict) -> None:
    try:
        send_mail(
            email_subject(payload),
            email_body(payload),
            settings.DEFAULT_FROM_EMAIL,
            list(rule.emails),
            fail_silently=False,
        )
    except Exception as exc:  # SMTP and socket errors alike: logged on the delivery, retried
        raise ChannelError(f"Could not send the e-mail: {exc}.") from None


def send(
    *, channel: str, rule: AlertRule, payload: dict, delivery_id: int | None = None
) -> int | None:
    """Returns the webhook's HTTP status (None for e-mail)."""
    if channel == Channel.WEBHOOK:
        return send_webhook(rule=rule, payload=payload, delivery_id=delivery_id)
    send_email(rule=rule, payload=payload)
    return None
