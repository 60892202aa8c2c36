"""Blob keys. Every key begins with the organization, so one prefix holds all of a tenant's
data (deletion, export and bucket policies work per organization)."""

import re

# Session ids become part of a key: letters, digits, '-' and '_' only (UUIDs and the like).
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def session_prefix(organization_id: int, session_id: str) -> str:
    if not SESSION_ID_RE.match(session_id):
        raise ValueError(f"unsafe session id {session_id!r}")
    return f"orgs/{int(organization_id)}/sessions/{session_id}"


def batch_key(organization_id: int, session_id: str, seq: int) -> str:
    return f"{session_prefix(organization_id, session_id)}/batches/{int(seq):010d}.jsonl.zst"


def segment_key(organization_id: int, session_id: str, first_seq: int, last_seq: int) -> str:
    prefix = session_prefix(organization_id, session_id)
    return f"{prefix}/segments/{int(first_seq):010d}-{int(last_seq):010d}.jsonl.zst"
