"""Parsing and validating a batch envelope into ``IncomingBatch``.

A batch is all or nothing: one malformed event refuses the whole batch with a message that
says which, so a broken client is noticed instead of storing half of what it sent.
"""

import orjson

from apps.replay.services import IncomingBatch
from apps.replay.storage.keys import SESSION_ID_RE

from ..pipeline.errors import IntakeError

MAX_SEQ = 999_999_999
# Event timestamps are epoch milliseconds between 2000 and 2100.
MIN_TS, MAX_TS = 946_684_800_000, 4_102_444_800_000
UTF8_BOM = b"\xef\xbb\xbf"


def parse(data: bytes | bytearray, *, org_public_id: str) -> IncomingBatch:
    if not data:
        raise IntakeError(400, "empty_body", "The request body is empty.")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in str(exc):
            raise IntakeError(400, "invalid_utf8", "The body is not valid UTF-8.") from None
        raise IntakeError(400, "invalid_json", f"The body is not valid JSON: {exc}.") from None
    if not isinstance(payload, dict):
        raise IntakeError(400, "invalid_batch", "The body must be a JSON object.")

    org = payload.get("org")
    if org is not None and org != org_public_id:
        raise IntakeError(
            400, "org_mismatch", "The body's org does not match the ?org= of the request."
        )
    session_id = _session_id(payload, "session_id", required=True)
    previous = _session_id(payload, "previous_session_id", required=False)
    # The tab: a session spans the tabs of one origin, each numbering its own batches.
    window_id = _session_id(payload, "window_id", required=False)
    seq = _seq(payload)
    events = _events(payload.get("events", []))
    ended = payload.get("ended", False)
    if not isinstance(ended, bool):
        raise IntakeError(400, "invalid_ended", "ended must be true or false.")
    sent_at = payload.get("sent_at")
    if sent_at is not None and (not _is_number(sent_at) or not MIN_TS <= sent_at <= MAX_TS):
        sent_at = None  # informational only; a client with a strange clock is still recorded
    user = payload.get("user")
    if user is not None and not isinstance(user, dict):
        raise IntakeError(400, "invalid_user", "user must be an object or null.")
    return IncomingBatch(
        session_id=session_id,
        seq=seq,
        events=events,
        previous_session_id=previous or "",
        window_id=window_id or "",
        ended=ended,
        sent_at=int(sent_at) if sent_at is not None else None,
        page=_object(payload, "page"),
        meta=_object(payload, "meta"),
        user=user,
    )


def _session_id(payload: dict, name: str, *, required: bool) -> str | None:
    value = payload.get(name)
    if value is None:
        if required:
            raise IntakeError(400, f"missing_{name}", f"The batch has no {name}.")
        return None
    if not isinstance(value, str) or not SESSION_ID_RE.match(value):
        raise IntakeError(
            400,
            f"invalid_{name}",
            f"{name} must be a string of 8 to 64 letters, digits, '-' or '_' (a UUID).",
        )
    return value


def _seq(payload: dict) -> int:
    if "seq" not in payload or payload["seq"] is None:
        raise IntakeError(400, "missing_seq", "The batch has no seq (its sequence number).")
    seq = payload["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise IntakeError(
            400, "invalid_seq", f"seq must be an integer from 0 to {MAX_SEQ}, not {seq!r:.40}."
        )
    return seq


def _events(events) -> list[dict]:
    if not isinstance(events, list):
        raise IntakeError(400, "invalid_events", "events must be an array of rrweb events.")
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise IntakeError(400, "invalid_event", f"events[{i}] is not an object.")
        kind = event.get("type")
        if isinstance(kind, bool) or not isinstance(kind, int):
            raise IntakeError(400, "invalid_event", f"events[{i}].type must be an integer.")
        ts = event.get("timestamp")
        if not _is_number(ts) or not MIN_TS <= ts <= MAX_TS:
            raise IntakeError(
                400, "invalid_event", f"events[{i}].timestamp must be epoch milliseconds."
            )
    return events


def _object(payload: dict, name: str) -> dict:
    value = payload.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise IntakeError(400, f"invalid_{name}", f"{name} must be an object.")
    return value


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value
