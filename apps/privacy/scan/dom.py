"""What the scanner remembers about the recorded DOM: each node's tag, a few attributes, its
parent, and whether it is a sensitive input or inside a data-private element. Built from the
full snapshot and kept current with mutations, so a value in a later event has a context and
a CSS selector path."""

from dataclasses import dataclass, field

from apps.core import sensitive as detectors

ELEMENT, TEXT = 2, 3
SENSITIVE_TYPES = frozenset({"password", "email", "tel"})
FORM_TAGS = frozenset({"input", "textarea", "select"})
MAX_SELECTOR_DEPTH = 6
MAX_NAME = 40


@dataclass
class Node:
    tag: str = ""
    parent: int | None = None
    attrs: dict = field(default_factory=dict)
    private: bool = False  # the node or an ancestor is data-private / qorrelate-mask
    sensitive_input: bool = False


def _sensitive_input(tag: str, attrs: dict) -> bool:
    if tag not in FORM_TAGS:
        return False
    kind = str(attrs.get("type") or "").lower()
    if kind in SENSITIVE_TYPES or "data-rr-is-password" in attrs:
        return True
    autocomplete = str(attrs.get("autocomplete") or "").lower().split()
    return any(token.startswith("cc-") for token in autocomplete)


def _private(attrs: dict) -> bool:
    if str(attrs.get("data-private") or "").lower() == "true":
        return True
    return "qorrelate-mask" in str(attrs.get("class") or "").split()


KEPT_ATTRS = ("id", "class", "type", "name", "autocomplete", "data-private", "data-rr-is-password")


class DomState:
    def __init__(self) -> None:
        self.nodes: dict[int, Node] = {}

    def reset(self) -> None:
        self.nodes.clear()

    def add(self, node_id, *, tag: str, parent: int | None, attrs: dict) -> Node:
        kept = {k: attrs[k] for k in KEPT_ATTRS if k in attrs and isinstance(attrs[k], str | bool)}
        parent_node = self.nodes.get(parent) if parent is not None else None
        node = Node(tag=tag.lower() if isinstance(tag, str) else "", parent=parent, attrs=kept)
        node.private = _private(kept) or bool(parent_node and parent_node.private)
        node.sensitive_input = _sensitive_input(node.tag, kept)
        if isinstance(node_id, int):
            self.nodes[node_id] = node
        return node

    def update_attrs(self, node_id, attrs: dict) -> None:
        node = self.nodes.get(node_id)
        if node is None:
            return
        for key in KEPT_ATTRS:
            if key in attrs:
                value = attrs[key]
                if value is None:
                    node.attrs.pop(key, None)
                elif isinstance(value, str | bool):
                    node.attrs[key] = value
        node.sensitive_input = _sensitive_input(node.tag, node.attrs)
        parent = self.nodes.get(node.parent) if node.parent is not None else None
        node.private = _private(node.attrs) or bool(parent and parent.private)

    def element_of(self, node_id) -> tuple[int | None, Node | None]:
        """The node itself if it is an element, else its parent element (text nodes)."""
        node = self.nodes.get(node_id)
        if node is not None and not node.tag and node.parent is not None:
            return node.parent, self.nodes.get(node.parent)
        return node_id, node

    def selector(self, node_id) -> str:
        """A CSS path like ``body > form#pay > input[type=password][name=pin]``; id, class
        and name values that look sensitive themselves are left out."""
        parts = []
        current = node_id
        seen = 0
        while current is not None and seen < 64:
            node = self.nodes.get(current)
            if node is None:
                break
            if node.tag:
                parts.append(_piece(node))
            current = node.parent
            seen += 1
        parts = [p for p in reversed(parts) if p]
        if len(parts) > MAX_SELECTOR_DEPTH:
            parts = ["…", *parts[-MAX_SELECTOR_DEPTH:]]
        return " > ".join(parts)


def _safe(value) -> str | None:
    if not isinstance(value, str) or not value or len(value) > MAX_NAME:
        return None
    if detectors.find(value) or not all(c.isalnum() or c in "-_" for c in value):
        return None
    return value


def _piece(node: Node) -> str:
    piece = node.tag
    if node.tag in ("html", "#document"):
        return ""
    ident = _safe(node.attrs.get("id"))
    if ident:
        piece += f"#{ident}"
    classes = [c for c in str(node.attrs.get("class") or "").split() if _safe(c)][:2]
    piece += "".join(f".{c}" for c in classes)
    if node.tag in FORM_TAGS:
        kind = _safe(node.attrs.get("type"))
        if kind:
            piece += f"[type={kind}]"
        name = _safe(node.attrs.get("name"))
        if name:
            piece += f"[name={name}]"
    if node.attrs.get("data-private"):
        piece += "[data-private]"
    return piece
