"""Secret key format: ``qor_<kind>_<8 hex>`` (the visible prefix) ``_<48 hex>`` (the secret).

Secrets are 192 random bits, so a single SHA-256 is the right hash: slow password hashes buy
nothing against brute force here and would cost milliseconds on every OTLP request.
"""

import hashlib
import hmac
import re
import secrets

_KEY_RE = re.compile(r"^(qor_(?:api|ingest)_[0-9a-f]{8})_([0-9a-f]{48})$")


def generate(kind: str) -> tuple[str, str, str]:
    """Return (prefix, raw key, hash)."""
    prefix = f"qor_{kind}_{secrets.token_hex(4)}"
    secret = secrets.token_hex(24)
    return prefix, f"{prefix}_{secret}", hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(raw: str) -> tuple[str, str] | None:
    """Split a raw key into (prefix, secret), or None when it is not shaped like a key."""
    match = _KEY_RE.match(raw or "")
    return (match.group(1), match.group(2)) if match else None


def matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
