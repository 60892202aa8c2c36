"""The client's address, trusting ``X-Forwarded-For`` only from configured proxies.

A client can send any ``X-Forwarded-For`` it likes, so the header says nothing unless the peer
that handed us the request is one of our own proxies (``QORRELATE_TRUSTED_PROXIES``, default
none). Then the header is read from the right — each trusted proxy appends the address it saw —
and the first address that is not one of our proxies is the client. Rate limits keyed by
address use this, so rotating the header buys nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.0/8", "127.0.0.1"]`` → networks; raises ValueError on a malformed entry."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in proxies)


UNKNOWN = "0.0.0.0"  # noqa: S104 (no peer address, e.g. a request built in-process)


def client_ip(remote_addr: str, forwarded_for: str | None, proxies: tuple[Network, ...]) -> str:
    peer = _address(remote_addr or "")
    if not forwarded_for or not _trusted(peer, proxies):
        return str(peer) if peer is not None else UNKNOWN
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage from before our proxies: the last good hop is the client
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


@lru_cache(maxsize=8)
def _configured(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def request_client_ip(request) -> str:
    """``client_ip`` for a Django request, with the proxies from ``settings.TRUSTED_PROXIES``."""
    from django.conf import settings

    proxies = _configured(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    meta = request.META
    return client_ip(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR"), proxies)
