"""Every intake limit, read from Django settings (``qorrelate/settings.py``, from the
environment; docs/deployment.md lists them) when a request arrives, so a test or an operator
changes them in one place."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class Limits:
    max_body_bytes: int  # on the wire (compressed or not); 413 over it
    max_decompressed_bytes: int  # after gunzip; 413 over it
    rate_limit: int  # requests per organization per window; 0: unlimited
    rate_window_seconds: int


def replay_limits() -> Limits:
    return Limits(
        max_body_bytes=settings.REPLAY_MAX_BODY_BYTES,
        max_decompressed_bytes=settings.REPLAY_MAX_DECOMPRESSED_BYTES,
        rate_limit=settings.REPLAY_RATE_LIMIT,
        rate_window_seconds=settings.REPLAY_RATE_WINDOW_SECONDS,
    )


def otlp_limits() -> Limits:
    # The collector's own limit applies to the decompressed body too.
    return Limits(
        max_body_bytes=settings.OTLP_MAX_BODY_BYTES,
        max_decompressed_bytes=settings.OTLP_MAX_BODY_BYTES,
        rate_limit=settings.OTLP_REQUESTS_PER_MINUTE,
        rate_window_seconds=60,
    )


def unavailable_retry_after() -> int:
    return settings.INTAKE_UNAVAILABLE_RETRY_AFTER
