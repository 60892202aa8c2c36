"""Blob keys. Every key begins with the organization, so one prefix holds all of a tenant's
data (deletion, export and bucket policies work per organization)."""

import re

# Session ids become part of a key: letters, digits, '-' and '_' only (UUIDs and the like).
# \Z, not $: `$` also matches before a final newline ("abcdefgh\n" would pass).
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")


def session_prefix(organization_id: int, session_id: str) -> str:
    if not SESSION_ID_RE.match(session_id):
        raise ValueError(f"unsafe session id {session_id!r}")
    return f"orgs/{int(organization_id)}/sessions/{session_id}"


def batch_key(organization_id: int, session_id: str, seq: int, *, attempt: str) -> str:
    """``attempt``: a fresh token per store attempt, so a retry or a racing duplicate never
    overwrites a blob an acknowledged row already points at."""
    if not re.fullmatch(r"[0-9a-f]{8}", attempt):
        raise ValueError(f"unsafe attempt token {attempt!r}")
    prefix = session_prefix(organization_id, session_id)
    return f"{prefix}/batches/{int(seq):010d}.{attempt}.jsonl.zst"


def segment_key(organization_id: int, session_id: str, first_seq: int, last_seq: int) -> str:
    prefix = session_prefix(organization_id, session_id)
    return f"{prefix}/segments/{int(first_seq):010d}-{int(last_seq):010d}.jsonl.zst"
