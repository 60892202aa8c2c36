"""One pass over a session's events, in time order, into what the detectors read: the
activations (clicks, form submits), the requests, messages that appeared and went, native form
validation, errors, long tasks and vitals, and every moment the page answered — each with the
page it happened on. Untrusted input: every field is checked before use.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from apps.replay import rrweb
from apps.replay.analysis import as_int

from .dom import HIDING_ATTRIBUTES, Mirror

# A message counts when it appears this soon after an activation…
MESSAGE_AFTER_ACTIVATION_MS = 3_000
# …and is "transient" when it goes within this long.
TRANSIENT_MS = 10_000
MIN_MESSAGE_CHARS = 2
TAG_LONGTASK = "qorrelate.longtask"
TAG_VITAL = "qorrelate.vital"
TAG_FORM = "qorrelate.form"
TOOLTIP_ROLES = frozenset({"tooltip"})
MAX_SHOWN_AT_ONCE = 3


@dataclass
class Activation:
    ts: int
    kind: str  # "click" or "submit"
    node: int | None  # the control (the button around the icon that was hit)
    target: int | None  # the node hit
    label: str
    selector: str
    form_control: bool
    editable: bool
    url: str
    x: float | None = None
    y: float | None = None


@dataclass
class Request:
    ts: int
    end: int
    method: str
    url: str
    path: str
    status: int | None
    trace_id: str | None
    error: str

    @property
    def failed(self) -> bool:
        return self.status is not None and (self.status >= 400 or self.status == 0)


@dataclass
class Message:
    root: int
    text: str
    shown: int
    live: bool
    gone: int | None = None
    selector: str = ""


@dataclass
class Invalid:
    ts: int
    node: int | None
    field: str


@dataclass
class LongTask:
    ts: int
    duration: int
    source: str  # "longtask", "long-animation-frame" or "frame" (requestAnimationFrame gaps)
    url: str


@dataclass
class Timeline:
    start: int = 0
    end: int = 0
    activations: list[Activation] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    long_tasks: list[LongTask] = field(default_factory=list)
    vitals: dict[str, dict[str, float]] = field(default_factory=dict)  # url → name → value
    navigations: list[int] = field(default_factory=list)
    responses: list[int] = field(default_factory=list)  # moments the page visibly answered
    changes: list[int] = field(default_factory=list)  # moments the page's DOM changed
    clicks_on: dict[int, list[int]] = field(default_factory=dict)  # node → click times
    removed: dict[int, int] = field(default_factory=dict)  # clicked node → when it was removed


def _num(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value else None


def _str(value, limit: int = 500) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _path(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:300]
    return (parts.path or "/")[:300]


class _Builder:
    def __init__(self) -> None:
        self.t = Timeline()
        self.mirror = Mirror()
        self.url = ""
        self.last_activation: int | None = None
        self.open: dict[int, Message] = {}  # message root → message still on screen

    # -- helpers ----------------------------------------------------------------------------
    def _in_window(self, ts: int) -> bool:
        last = self.last_activation
        return last is not None and 0 <= ts - last <= MESSAGE_AFTER_ACTIVATION_MS

    def _show(self, ts: int, root: int, live: bool) -> None:
        if root in self.open or self._hidden_here_or_above(root):
            return
        if self.mirror.within_role(root, TOOLTIP_ROLES):
            return  # help shown on hover or focus, not an answer to the activation
        text = self.mirror.text_of(root, 200)
        if len(text) < MIN_MESSAGE_CHARS:
            return
        message = Message(
            root=root, text=text, shown=ts, live=live, selector=self.mirror.selector_of(root)
        )
        self.open[root] = message
        self.t.messages.append(message)

    def _gone(self, ts: int, roots) -> None:
        for root in roots:
            message = self.open.pop(root, None)
            if message is not None:
                message.gone = ts

    def _activation(self, ts: int, kind: str, target: int | None, x=None, y=None) -> None:
        mirror = self.mirror
        node = mirror.control_of(target)
        self.t.activations.append(
            Activation(
                ts=ts,
                kind=kind,
                node=node,
                target=target,
                label=mirror.label_of(node) if node is not None else "",
                selector=mirror.selector_of(node),
                form_control=kind == "submit" or mirror.is_form_control(node),
                editable=mirror.is_editable(target) or mirror.is_editable(node),
                url=self.url,
                x=x,
                y=y,
            )
        )
        if node is not None:
            self.t.clicks_on.setdefault(node, []).append(ts)
        self.last_activation = ts

    # -- events -----------------------------------------------------------------------------
    def event(self, event: dict) -> None:
        ts = as_int(event.get("timestamp"))
        kind = event.get("type")
        data = event.get("data")
        if ts is None or not isinstance(data, dict):
            return
        t = self.t
        if not t.start or ts < t.start:
            t.start = ts
        t.end = max(t.end, ts)
        if kind == rrweb.FULL_SNAPSHOT:
            self.open = {}
            self.mirror.reset(data.get("node"))
            t.responses.append(ts)
        elif kind == rrweb.META:
            href = data.get("href")
            if isinstance(href, str) and href:
                self.url = href[:2048]
        elif kind == rrweb.INCREMENTAL_SNAPSHOT:
            self._incremental(ts, data)
        elif kind == rrweb.CUSTOM:
            self._custom(ts, data)

    def _incremental(self, ts: int, data: dict) -> None:
        source = data.get("source")
        if source in rrweb.RESPONSE_SOURCES:
            self.t.responses.append(ts)
        if source == rrweb.MUTATION:
            self.t.changes.append(ts)
            self._mutation(ts, data)
        elif source == rrweb.MOUSE_INTERACTION and data.get("type") == rrweb.CLICK:
            x, y = _num(data.get("x")), _num(data.get("y"))
            self._activation(ts, "click", as_int(data.get("id")), x, y)

    def _mutation(self, ts: int, data: dict) -> None:
        mirror = self.mirror
        watching = self._in_window(ts)
        removes = data.get("removes")
        if isinstance(removes, list):
            opened, clicked = self.open, self.t.clicks_on
            for remove in removes:
                node_id = as_int(remove.get("id")) if isinstance(remove, dict) else None
                if node_id is None:
                    continue
                removed = mirror.remove(node_id)
                if opened:
                    self._gone(ts, [r for r in removed if r in opened])
                if clicked:
                    for r in removed:
                        if r in clicked:
                            self.t.removed[r] = ts
        adds = data.get("adds")
        added_roots = []
        if isinstance(adds, list):
            for add in adds:
                if not isinstance(add, dict):
                    continue
                parent = as_int(add.get("parentId"))
                node = add.get("node")
                mirror.add_tree(node, parent)
                if watching and isinstance(node, dict):
                    node_id = as_int(node.get("id"))
                    if node_id is not None:
                        added_roots.append((node_id, parent))
        texts = data.get("texts")
        changed_text = []
        if isinstance(texts, list):
            for change in texts:
                node_id = as_int(change.get("id")) if isinstance(change, dict) else None
                if node_id is not None:
                    mirror.set_text(node_id, change.get("value"))
                    changed_text.append(node_id)
        attributes = data.get("attributes")
        shown_by_attribute, hidden_by_attribute = [], set()
        if isinstance(attributes, list):
            for change in attributes:
                node_id = as_int(change.get("id")) if isinstance(change, dict) else None
                if node_id is None:
                    continue
                changed = change.get("attributes")
                if (
                    not (watching or self.open)
                    or not isinstance(changed, dict)
                    or HIDING_ATTRIBUTES.isdisjoint(changed)
                ):
                    # Whether it was shown or hidden matters only while a message could start
                    # (watching) or end (one is open).
                    mirror.set_attributes(node_id, changed)
                    continue
                was_hidden = mirror.is_hidden(node_id)
                mirror.set_attributes(node_id, changed)
                hidden = mirror.is_hidden(node_id)
                if watching and was_hidden and not hidden:
                    shown_by_attribute.append(node_id)
                elif hidden and not was_hidden:
                    hidden_by_attribute.add(node_id)
        # Only removals, text changes and newly hidden elements can end a message.
        if self.open and (removes or texts or hidden_by_attribute):
            self._check_open(ts, hidden_by_attribute)
        if not watching:
            return
        # rrweb lists every node of an inserted subtree: the subtree's top is the message.
        added = {node_id for node_id, _ in added_roots}
        tops = [(node_id, parent) for node_id, parent in added_roots if parent not in added]
        # Many subtrees inserted at once are a list rendered or a view switched, not a
        # message (as for elements shown by attributes below; live regions still count).
        many_added = len(tops) > MAX_SHOWN_AT_ONCE
        for node_id, parent in tops:
            region = mirror.live_region_of(node_id)
            if region is not None:
                self._show(ts, region, live=True)
            elif many_added:
                continue
            elif mirror.nodes.get(node_id) and mirror.nodes[node_id].type == 2:
                self._show(ts, node_id, live=False)
            elif parent is not None and parent in mirror.nodes:
                self._show(ts, parent, live=False)
        for node_id in changed_text:
            region = mirror.live_region_of(node_id)
            if region is not None:
                self._show(ts, region, live=True)
        # Many elements shown at once by attributes are a list filtered or a view switched,
        # not a message (live regions still count).
        many = len(shown_by_attribute) > MAX_SHOWN_AT_ONCE
        for node_id in shown_by_attribute:
            region = mirror.live_region_of(node_id)
            if region is not None:
                self._show(ts, region, live=True)
            elif not many:
                self._show(ts, node_id, live=False)

    def _check_open(self, ts: int, hidden: set[int]) -> None:
        mirror = self.mirror
        # A message still on screen past TRANSIENT_MS stays: it can no longer be transient,
        # so it is no longer watched (the open set would otherwise grow with every message a
        # long session shows, and be walked on every mutation).
        for root in [r for r, m in self.open.items() if ts - m.shown > TRANSIENT_MS]:
            del self.open[root]
        gone = []
        for root, message in self.open.items():
            if root not in mirror.nodes:
                gone.append(root)
            elif message.live and len(mirror.text_of(root, 10)) < MIN_MESSAGE_CHARS:
                gone.append(root)  # a live region emptied
            elif hidden and self._under(root, hidden):
                gone.append(root)
        self._gone(ts, gone)

    def _under(self, node_id: int, ancestors: set[int]) -> bool:
        """``node_id`` is one of ``ancestors`` or below one (up to 8 levels)."""
        current, hops = self.mirror.nodes.get(node_id), 0
        while current is not None and hops < 8:
            if current.id in ancestors:
                return True
            current = self.mirror.nodes.get(current.parent) if current.parent else None
            hops += 1
        return False

    def _hidden_here_or_above(self, node_id: int) -> bool:
        current, hops = self.mirror.nodes.get(node_id), 0
        while current is not None and hops < 8:
            if self.mirror.is_hidden(current.id):
                return True
            current = self.mirror.nodes.get(current.parent) if current.parent else None
            hops += 1
        return False

    def _custom(self, ts: int, data: dict) -> None:
        tag = data.get("tag")
        payload = data.get("payload")
        if not isinstance(payload, dict):
            return
        t = self.t
        if tag == rrweb.TAG_NETWORK:
            url = _str(payload.get("url"), 2048)
            duration = as_int(payload.get("duration_ms")) or 0
            trace_id = payload.get("trace_id")
            t.requests.append(
                Request(
                    ts=ts,
                    end=ts + max(0, duration),
                    method=(_str(payload.get("method"), 10) or "GET").upper(),
                    url=url,
                    path=_path(url),
                    status=as_int(payload.get("status")),
                    trace_id=trace_id.lower()
                    if isinstance(trace_id, str) and len(trace_id) == 32
                    else None,
                    error=_str(payload.get("error"), 200),
                )
            )
        elif tag == rrweb.TAG_ERROR:
            t.errors.append((ts, _str(payload.get("message"), 300) or "Uncaught error"))
        elif tag == rrweb.TAG_NAVIGATION:
            url = payload.get("url")
            if isinstance(url, str) and url:
                if payload.get("kind") not in ("replaceState",):
                    t.navigations.append(ts)
                self.url = url[:2048]
            t.responses.append(ts)
        elif tag == TAG_LONGTASK:
            duration = as_int(payload.get("duration_ms"))
            if duration is not None and duration > 0:
                source = _str(payload.get("source"), 30) or "longtask"
                t.long_tasks.append(LongTask(ts, duration, source, self.url))
        elif tag == TAG_VITAL:
            name, value = _str(payload.get("name"), 10).upper(), _num(payload.get("value"))
            if name and value is not None:
                t.vitals.setdefault(self.url, {})[name] = value
        elif tag == TAG_FORM:
            node_id = as_int(payload.get("id"))
            if payload.get("type") == "submit":
                last = t.activations[-1] if t.activations else None
                if last is not None and last.kind == "click" and 0 <= ts - last.ts <= 300:
                    last.form_control = True  # the click on the submit button, seen again
                else:
                    self._activation(ts, "submit", node_id)
            elif payload.get("type") == "invalid":
                t.responses.append(ts)  # the browser answered (its validation bubble)
                t.invalid.append(Invalid(ts, node_id, self._field_name(node_id)))

    def _field_name(self, node_id: int | None) -> str:
        node = self.mirror.nodes.get(node_id) if node_id is not None else None
        if node is None:
            return "a field"
        for name in ("name", "id", "aria-label", "placeholder", "type"):
            value = _str(node.attributes.get(name), 60)
            if value:
                return value
        return node.tag or "a field"


class Reading:
    """A session read batch by batch: feed it events in time order, ask for the timeline at any
    point, put it away (checkpoint.dump) and resume it later (checkpoint.load)."""

    def __init__(self, builder: "_Builder | None" = None) -> None:
        self.builder = builder or _Builder()

    def feed(self, events) -> None:
        event = self.builder.event
        for item in events:
            if isinstance(item, dict):
                event(item)

    def timeline(self) -> Timeline:
        timeline = self.builder.t
        timeline.responses.sort()
        timeline.changes.sort()
        return timeline


def build_timeline(events) -> Timeline:
    """``events``: rrweb events (dicts) in time order, as the session stores them."""
    reading = Reading()
    reading.feed(events)
    return reading.timeline()
