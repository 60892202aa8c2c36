"""Deterministic sampling: the same session id lands in the same bucket on every run and every
machine, so re-deciding a session (a retried task) gives the same answer."""

import hashlib


def bucket(session_id: str) -> float:
    """A number in [0, 100) from the session id alone."""
    digest = hashlib.sha256(session_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100


def sampled(session_id: str, rate: float) -> bool:
    return bucket(session_id) < rate
