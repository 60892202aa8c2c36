"""Brute-force limits on the doors that take a password or an e-mail address.

* Log in: django-axes counts failed logins per account (the e-mail as typed, lower-cased) and
  per client address, separately; ``LOGIN_FAILURE_LIMIT`` failures lock that account — or that
  client — out for ``LOGIN_COOLOFF_MINUTES``, even with the right password.
* Sign-up (also from an invitation) and password reset: fixed windows per client address and,
  for reset, per e-mail address, counted by the shared atomic limiter.

Every refusal reads the same whether or not an account exists for the address, and counts the
same, so the limits tell an attacker nothing about which accounts exist.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.shortcuts import render

from apps.core import ratelimit
from apps.core.clientip import request_client_ip

LOCKED_OUT = (
    "Too many failed log-in attempts for this e-mail address or from your network. "
    "Wait {minutes} minutes, or reset your password."
)
TOO_MANY = "Too many attempts from your network or for this address. Try again in {wait}."


def normalized_username(request, credentials: dict | None) -> str:
    """The account a login attempt is counted against (AXES_USERNAME_CALLABLE)."""
    return ((credentials or {}).get("username") or "").strip().lower()[:255]


def cooloff(request=None) -> timedelta:
    return timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout message, as a 429 (AXES_LOCKOUT_CALLABLE)."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    form = AuthenticationForm(
        request, initial={"username": normalized_username(request, credentials)}
    )
    response = render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": LOCKED_OUT.format(minutes=minutes)},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{-(-seconds // 60)} minutes"


def retry_after(request, *, door: str, email: str | None = None) -> int | None:
    """Count one attempt at ``door`` (``signup`` or ``password_reset``); seconds to wait when
    this client or this address is over its limit, else None."""
    counter = ratelimit.counter_for(settings.REDIS_URL, cache)
    buckets = [(f"client:{request_client_ip(request)}", settings.SIGN_IN_LIMITS[door]["client"])]
    if email and "account" in settings.SIGN_IN_LIMITS[door]:
        address = email.strip().lower()[:255]
        buckets.append((f"account:{address}", settings.SIGN_IN_LIMITS[door]["account"]))
    wait = None
    for bucket, rate in buckets:
        limit, window = ratelimit.parse_rate(rate)
        result = ratelimit.hit(
            counter, key=f"qorrelate:{door}-rate:{bucket}", limit=limit, window=window
        )
        if result.over:
            wait = max(wait or 0, result.retry_after)
    return wait


def refusal_message(wait: int) -> str:
    return TOO_MANY.format(wait=_wait_text(wait))
