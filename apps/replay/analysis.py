"""What one batch of events says about its session: counters, URLs, errors, trace ids, moments.

Pure functions over already-validated events (dicts with an int ``type`` and a numeric
``timestamp``); anything else inside an event is untrusted and checked before use.
A batch is analysed alone, so patterns that straddle two batches (a rage click split by a
flush) are not seen; the recorder flushes every few seconds, which keeps that rare.
"""

import bisect
from dataclasses import dataclass, field

from django.conf import settings

from apps.core.clip import clip

from . import rrweb
from .protocol import SESSION_END_TAG, SESSION_START_TAG
from .storage.keys import SESSION_ID_RE

RAGE_MIN_CLICKS = 3
RAGE_MAX_GAP_MS = 750
RAGE_RADIUS_PX = 30
DEAD_CLICK_WINDOW_MS = 2500
ACTIVE_IDLE_MS = 5000
# Labels are cut with a visible marker (~30 characters) and must still fit Mark.label (500).
MAX_MESSAGE_CHARS = 300
MAX_URL_LABEL_CHARS = 450
MAX_MARKS_PER_BATCH = 200
TRACE_ID_HEX = frozenset("0123456789abcdef")


@dataclass
class Mark:
    ts_ms: int
    kind: str
    label: str
    data: dict = field(default_factory=dict)


@dataclass
class Digest:
    event_count: int = 0
    first_ms: int | None = None
    last_ms: int | None = None
    has_full_snapshot: bool = False
    clicks: int = 0
    rage_clicks: int = 0
    dead_clicks: int = 0
    console_errors: int = 0
    uncaught_errors: int = 0
    failed_requests: int = 0
    error_messages: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    nav_page_views: int = 0
    meta_page_views: int = 0
    active_ms: int = 0
    viewport: tuple[int, int] | None = None
    user: tuple[str, dict] | None = None
    traces: dict[str, int] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)

    def add_mark(self, mark: Mark) -> None:
        if len(self.marks) < MAX_MARKS_PER_BATCH:
            self.marks.append(mark)


def _text(value, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A label or message: whitespace collapsed, cut to ``limit`` with a visible marker."""
    return clip(_words(value), limit)


def _field(value, limit: int) -> str:
    """A value for a fixed-width column or a short enum (user id, method): cut silently."""
    return _words(value)[:limit]


def _words(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return " ".join(text.replace("\x00", "").split())


def as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 1e15:
        return int(value)
    return None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _add_url(digest: Digest, url) -> None:
    if isinstance(url, str) and url:
        url = clip(url.replace("\x00", ""), settings.REPLAY_URL_LENGTH_LIMIT)
        if url and url not in digest.urls:
            digest.urls.append(url)


def _editable_ids(node, found: set[int]) -> None:
    """Ids of form fields in a serialized DOM subtree (clicking them rarely changes the DOM)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        if current.get("type") == rrweb.ELEMENT_NODE:
            tag = current.get("tagName")
            attributes = _dict(current.get("attributes"))
            if (isinstance(tag, str) and tag.lower() in rrweb.EDITABLE_TAGS) or (
                "contenteditable" in attributes
            ):
                node_id = as_int(current.get("id"))
                if node_id is not None:
                    found.add(node_id)
        children = current.get("childNodes")
        if isinstance(children, list):
            stack.extend(children)


def analyze(events: list[dict]) -> Digest:
    digest = Digest(event_count=len(events))
    clicks: list[tuple[int, int | None, float | None, float | None]] = []
    responses: list[int] = []
    activity: list[int] = []
    editable: set[int] = set()
    # DOM subtrees (snapshots, added nodes) whose form fields are looked up only if a click
    # could be dead: walking them is most of the analysis, and most clicks get an answer.
    trees: list = []
    nav_seen = False

    for event in events:
        ts = int(event["timestamp"])
        kind = event["type"]
        data = _dict(event.get("data"))
        if digest.first_ms is None or ts < digest.first_ms:
            digest.first_ms = ts
        if digest.last_ms is None or ts > digest.last_ms:
            digest.last_ms = ts

        if kind == rrweb.FULL_SNAPSHOT:
            digest.has_full_snapshot = True
            responses.append(ts)
            trees.append(data.get("node"))
        elif kind == rrweb.META:
            responses.append(ts)
            href = data.get("href")
            if isinstance(href, str) and href and href not in digest.urls:
                digest.meta_page_views += 1
            _add_url(digest, href)
            width, height = as_int(data.get("width")), as_int(data.get("height"))
            if width and height and width > 0 and height > 0:
                digest.viewport = (width, height)
        elif kind == rrweb.INCREMENTAL_SNAPSHOT:
            source = data.get("source")
            if source in rrweb.ACTIVITY_SOURCES:
                activity.append(ts)
            if source in rrweb.RESPONSE_SOURCES:
                responses.append(ts)
            if source == rrweb.MUTATION:
                for add in data.get("adds") or []:
                    if isinstance(add, dict):
                        trees.append(add.get("node"))
            elif source == rrweb.INPUT:
                node_id = as_int(data.get("id"))
                if node_id is not None:
                    editable.add(node_id)
            elif source == rrweb.MOUSE_INTERACTION and data.get("type") == rrweb.CLICK:
                x, y = data.get("x"), data.get("y")
                clicks.append(
                    (
                        ts,
                        as_int(data.get("id")),
                        x if isinstance(x, int | float) else None,
                        y if isinstance(y, int | float) else None,
                    )
                )
            elif source == rrweb.VIEWPORT_RESIZE:
                width, height = as_int(data.get("width")), as_int(data.get("height"))
                if width and height and width > 0 and height > 0:
                    digest.viewport = (width, height)
        elif kind == rrweb.CUSTOM:
            nav_seen |= _custom(digest, ts, data, responses)

    digest.clicks = len(clicks)
    if nav_seen:
        digest.meta_page_views = 0
    _clicks(digest, clicks, responses, editable, trees)
    digest.active_ms = _active_ms(activity)
    return digest


def _custom(digest: Digest, ts: int, data: dict, responses: list[int]) -> bool:
    """Reads one Qorrelate timeline entry; returns True for a navigation."""
    tag = data.get("tag")
    payload = _dict(data.get("payload"))
    if tag == rrweb.TAG_NETWORK:
        responses.append(ts)
        _network(digest, ts, payload)
    elif tag == rrweb.TAG_CONSOLE:
        if payload.get("level") == "error":
            digest.console_errors += 1
            message = _text(payload.get("message")) or "console.error"
            digest.error_messages.append(message)
            digest.add_mark(Mark(ts, "console_error", message))
    elif tag == rrweb.TAG_ERROR:
        digest.uncaught_errors += 1
        message = _text(payload.get("message")) or "Uncaught error"
        digest.error_messages.append(message)
        source = _text(payload.get("source"), 500)
        digest.add_mark(Mark(ts, "error", message, {"source": source} if source else {}))
    elif tag == rrweb.TAG_NAVIGATION:
        responses.append(ts)
        url = payload.get("url")
        if isinstance(url, str) and url:
            if payload.get("kind") != "replaceState":
                digest.nav_page_views += 1
            _add_url(digest, url)
            digest.add_mark(
                Mark(
                    ts,
                    "navigation",
                    _text(url, MAX_URL_LABEL_CHARS),
                    {"kind": _field(payload.get("kind"), 20)},
                )
            )
        return True
    elif tag == rrweb.TAG_IDENTIFY:
        user_id = payload.get("user_id")
        if isinstance(user_id, str | int) and not isinstance(user_id, bool):
            user_id = _field(user_id, 255)
            digest.user = (user_id, _dict(payload.get("traits")))
            digest.add_mark(Mark(ts, "identify", user_id))
    elif tag == rrweb.TAG_EVENT:
        digest.add_mark(Mark(ts, "custom", _text(payload.get("name"), 200)))
    elif tag in (SESSION_START_TAG, SESSION_END_TAG):
        digest.add_mark(_lifecycle_mark(ts, tag, payload))
    return False


def _lifecycle_mark(ts: int, tag: str, payload: dict) -> Mark:
    """OpenTelemetry's session.start / session.end: the mark says why, and keeps the ids."""
    reason = _field(payload.get("reason"), 20)
    previous = payload.get("session.previous_id")
    data = {
        "reason": reason,
        # Linked from the session page: only a well-formed session id is kept.
        "previous_id": previous
        if isinstance(previous, str) and SESSION_ID_RE.match(previous)
        else None,
        "window_id": _field(payload.get("window.id"), 64),
    }
    kind = "session_start" if tag == SESSION_START_TAG else "session_end"
    return Mark(ts, kind, reason.replace("_", " "), data)


def _network(digest: Digest, ts: int, payload: dict) -> None:
    trace_id = payload.get("trace_id")
    if isinstance(trace_id, str) and len(trace_id) == 32:
        trace_id = trace_id.lower()
        if set(trace_id) <= TRACE_ID_HEX and trace_id != "0" * 32:
            digest.traces.setdefault(trace_id, ts)
    status = as_int(payload.get("status"))
    if status is None:
        return
    failed = status >= 400 or status == 0
    if not failed:
        return
    digest.failed_requests += 1
    method = _field(payload.get("method"), 10).upper() or "GET"
    url = _text(payload.get("url"), 400)
    label = f"{method} {url} → {status or 'network error'}"
    digest.error_messages.append(label)
    data = {"status": status}
    if isinstance(trace_id, str) and trace_id in digest.traces:
        data["trace_id"] = trace_id
    digest.add_mark(Mark(ts, "failed_request", label, data))


def _clicks(digest: Digest, clicks, responses: list[int], editable: set[int], trees) -> None:
    if not clicks:
        return
    clicks.sort(key=lambda c: c[0])
    responses.sort()
    last_ms = digest.last_ms or 0
    burst: list = []

    def close_burst():
        if len(burst) >= RAGE_MIN_CLICKS:
            digest.rage_clicks += 1
            digest.add_mark(
                Mark(burst[0][0], "rage_click", f"{len(burst)} clicks", {"node_id": burst[0][1]})
            )

    for click in clicks:
        if burst and _same_spot(burst[0], click) and click[0] - burst[-1][0] <= RAGE_MAX_GAP_MS:
            burst.append(click)
        else:
            close_burst()
            burst = [click]
    close_burst()

    for ts, node_id, _x, _y in clicks:
        if ts + DEAD_CLICK_WINDOW_MS > last_ms:
            continue  # the answer may be in the next batch: not judged
        i = bisect.bisect_right(responses, ts)
        if i < len(responses) and responses[i] <= ts + DEAD_CLICK_WINDOW_MS:
            continue
        if node_id is not None and trees:
            for tree in trees:
                _editable_ids(tree, editable)
            trees = []
        if node_id is not None and node_id in editable:
            continue
        digest.dead_clicks += 1
        digest.add_mark(Mark(ts, "dead_click", "Click with no response", {"node_id": node_id}))


def _same_spot(first, click) -> bool:
    if first[1] is not None and first[1] == click[1]:
        return True
    if None in (first[2], first[3], click[2], click[3]):
        return False
    return (first[2] - click[2]) ** 2 + (first[3] - click[3]) ** 2 <= RAGE_RADIUS_PX**2


def _active_ms(activity: list[int]) -> int:
    if len(activity) < 2:
        return 0
    activity.sort()
    return sum(min(b - a, ACTIVE_IDLE_MS) for a, b in zip(activity, activity[1:], strict=False))
