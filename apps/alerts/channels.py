"""Sending one delivery over its channel. A failure raises ChannelError with what the log
shows (and the HTTP status, when there was one); the caller decides about retries."""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
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

TIMEOUT_SECONDS = 10  # each connect and read
# The whole request: a read's timeout starts again with every byte, so a receiver that sends
# its answer a byte every few seconds would otherwise hold the process (a web worker, for Send
# test) for as long as it likes.
TOTAL_SECONDS = 20
USER_AGENT = "Qorrelate-Alerts/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer, not a new address to post the alert to.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _connect(host: str, port: int, timeout, source_address):
    """A socket to the address that was checked: the host is resolved once, here, and the
    connection goes to that address — resolving again to connect would let a DNS answer that
    changes between the two (rebinding) send the alert to an internal service."""
    address = _public_address(host, port)
    sock = socket.create_connection((address, port), timeout, source_address)
    # shutdown() acts on the connection, whichever descriptor is used: a duplicate still cuts
    # it after TLS has wrapped (and detached) this socket object.
    spare = sock.dup()
    timer = threading.Timer(TOTAL_SECONDS, _cut, (spare,))
    timer.daemon = True
    timer.start()
    _deadlines.timers.append((timer, spare))
    return sock


_deadlines = threading.local()


def _cut(sock: socket.socket) -> None:
    """The deadline passed: a read blocked on the socket returns at once."""
    with contextlib.suppress(OSError):  # closed already
        sock.shutdown(socket.SHUT_RDWR)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = _connect(self.host, self.port, self.timeout, self.source_address)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = _connect(self.host, self.port, self.timeout, self.source_address)
        # The certificate is checked against the host's name, as usual.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PinnedHTTPConnection, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PinnedHTTPSConnection, req, context=ssl.create_default_context())


# No proxy from the environment either: the address connected to is the one checked.
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirects, _PinnedHTTPHandler, _PinnedHTTPSHandler
)


class ChannelError(Exception):
    def __init__(self, message: str, *, response_code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.message = message[:1000]
        self.response_code = response_code
        self.permanent = permanent  # trying again cannot help


def encode(payload: dict) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


# IPv6 ranges whose addresses carry an IPv4 address a gateway or tunnel may deliver to: NAT64
# (RFC 6052, RFC 8215) and IPv4-compatible addresses (deprecated ::a.b.c.d). Python 3.11 calls
# 64:ff9b::7f00:1 and ::127.0.0.1 global; what they reach is the IPv4 address inside.
_EMBEDDING_IPV4 = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::/96"),
)


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global, and so is every IPv4 address the IPv6 one carries (mapped, 6to4, Teredo, NAT64,
    IPv4-compatible)."""
    if not address.is_global:
        return False
    if address.version == 4:
        return True
    inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if any(address in network for network in _EMBEDDING_IPV4):
        inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return all(ip.is_global for ip in inner if ip is not None)


def _public_address(host: str, port: int) -> str:
    """The address to connect to: unless the install allows private ones, every address the
    host resolves to must be public (a tenant must not reach the install's internal
    services through a webhook: loopback, private, link-local, metadata endpoints)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as exc:
        raise ChannelError(f"Could not resolve the webhook's host: {exc}.") from None
    if not infos:
        raise ChannelError("Could not resolve the webhook's host.")
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not settings.ALERT_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not _is_public(address):
                raise ChannelError(
                    f"The webhook's host resolves to {address}, a private address; "
                    "alerts go to public addresses only on this install.",
                    permanent=True,
                )
    return str(addresses[0])


def send_webhook(*, rule: AlertRule, payload: dict, delivery_id: int | None) -> int:
    if delivery_id is not None:
        # In the signed body too: the header alone is not signed, so a receiver that drops a
        # delivery id it has handled could be sent a captured request again under another id.
        payload = {**payload, "delivery_id": delivery_id}
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
    # The scheme is checked just above: only http(s) is ever opened.
    request = urllib.request.Request(rule.webhook_url, data=body, headers=headers, method="POST")  # noqa: S310
    _deadlines.timers = []
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
        if time.monotonic() - started >= TOTAL_SECONDS:  # cut off: not a whole answer
            raise ChannelError(f"The webhook did not answer within {TOTAL_SECONDS} s.")
        return status
    except urllib.error.HTTPError as exc:
        raise ChannelError(
            f"The webhook answered HTTP {exc.code}.", response_code=exc.code
        ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ChannelError):  # refused or unresolved by _public_address
            raise exc.reason from None
        raise ChannelError(f"Could not reach the webhook: {exc.reason}.") from None
    except ChannelError:
        raise
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if time.monotonic() - started >= TOTAL_SECONDS:
            raise ChannelError(f"The webhook did not answer within {TOTAL_SECONDS} s.") from None
        raise ChannelError(f"Could not reach the webhook: {exc}.") from None
    finally:
        for timer, spare in _deadlines.timers:
            timer.cancel()
            spare.close()


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
