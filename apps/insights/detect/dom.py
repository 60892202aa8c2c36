"""A light mirror of the recorded page, built from rrweb's full snapshots and mutations: enough
to name the element a person clicked (tag, id, classes, its text) and to see messages come and
go. Values are the recorded ones, already masked in the browser as the privacy mode says; the
mirror never has anything the recording does not.
"""

import functools
from dataclasses import dataclass, field

from . import css

ELEMENT, TEXT = 2, 3
MAX_TEXT = 120
CONTROL_TAGS = frozenset({"button", "a", "input", "select", "textarea", "summary", "label"})
SUBMIT_INPUT_TYPES = frozenset({"submit", "button", "image", "reset"})
LIVE_ROLES = frozenset({"alert", "status", "alertdialog", "log"})
# The attributes that can hide or show an element in the mirror's eyes (see is_hidden): the
# class and id too, through the page's stylesheet rules.
HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden", "style", "class", "id"})
NOT_FIELDS = SUBMIT_INPUT_TYPES | {"hidden"}
# A button outside a <form> submits fields when some are near it: within this many ancestors…
NEAR_LEVELS = 4
# …among this many elements around it (past them, the ancestor is the page, not a form).
NEAR_NODES = 150
MAX_VERDICTS = 4_096
FIELD_TAGS = frozenset({"input", "textarea", "select"})


@dataclass(slots=True)
class Node:
    id: int
    type: int
    tag: str = ""
    attributes: dict = field(default_factory=dict)
    text: str = ""  # a text node's content, as recorded (see _text)
    parent: int | None = None
    children: list[int] = field(default_factory=list)


def _clean(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _style_with(current, diff: dict) -> str:
    """The style attribute ``current`` after rrweb's style diff: {property: value} sets,
    {property: [value, priority]} sets with a priority, {property: false} removes."""
    rules: dict[str, str] = {}
    for part in (current if isinstance(current, str) else "").split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            rules[name.strip().lower()] = value.strip()
    for name, value in diff.items():
        if not isinstance(name, str):
            continue
        name = name.strip().lower()
        if value is False or value is None:
            rules.pop(name, None)
        elif isinstance(value, str):
            rules[name] = value.strip()
        elif isinstance(value, list) and value and isinstance(value[0], str):
            important = len(value) > 1 and bool(value[1])
            rules[name] = value[0].strip() + (" !important" if important else "")
    return "; ".join(f"{name}: {value}" for name, value in rules.items())


@functools.lru_cache(maxsize=4096)
def _style_hides(style: str) -> bool:
    """A style attribute that hides its element. Pages toggle a handful of styles over and
    over (display: none / block), so the answers are kept."""
    style = _clean(style).lower().replace(" ", "")
    return any(
        rule in style for rule in ("display:none", "visibility:hidden", "opacity:0;", "opacity:0.0")
    ) or style.endswith("opacity:0")


def _text(node: Node) -> str:
    """A text node's content as a person reads it (kept raw in the mirror, cleaned when read:
    few are ever read)."""
    return _clean(node.text[: MAX_TEXT * 8])[:MAX_TEXT]


def _cascade(matched, style) -> dict[str, str]:
    """The display / visibility / opacity that win: !important first, then the inline style,
    then the more specific rule, then the later one."""
    winners: dict[str, tuple[tuple, str]] = {}
    for rank, rule in matched:
        for name, value, important in rule.declarations:
            weight = (important, False, rule.specificity, rank)
            if name not in winners or weight > winners[name][0]:
                winners[name] = (weight, value)
    if isinstance(style, str) and style:
        for name, value, important in css.declarations(style):
            weight = (important, True, (0, 0, 0), (0, 0))
            if name not in winners or weight > winners[name][0]:
                winners[name] = (weight, value)
    return {name: value for name, (_, value) in winners.items()}


def _is_live(node: Node) -> bool:
    attributes = node.attributes
    if "role" not in attributes and "aria-live" not in attributes:
        return False
    role = _clean(attributes.get("role")).lower()
    live = _clean(node.attributes.get("aria-live")).lower()
    return role in LIVE_ROLES or bool(live and live != "off")


class Mirror:
    def __init__(self) -> None:
        self.nodes: dict[int, Node] = {}
        # Elements that are live regions: few or none on most pages, so the walk up to find
        # one is skipped when there is none.
        self.live: set[int] = set()
        # The page's stylesheets (node id → CSS text) and their rules on what is shown, by the
        # id, class or tag an element needs for them (None: to be read again).
        self.sheets: dict[int, str] = {}
        self._rules: dict[str, list[tuple[tuple[int, int], css.Rule]]] | None = {}
        self._verdicts: dict[tuple, bool | None] = {}
        # Inputs, text areas, selects and editable elements: what a person can fill in.
        self.fields: set[int] = set()
        # Sheets and fields are kept as nodes come and go from a snapshot on (reset); a mirror
        # given its nodes another way (a checkpoint read back) finds them in its nodes once.
        self._synced = False

    # -- building -------------------------------------------------------------------------
    def reset(self, root: dict) -> None:
        self.nodes = {}
        self.live = set()
        self.sheets, self._rules = {}, {}
        self.fields = set()
        self._synced = True
        self.add_tree(root, None)

    def add_tree(self, serialized, parent: int | None) -> list[int]:
        """Adds a serialized subtree; returns the ids of the element nodes it holds.

        The hot path of detection (every node of every snapshot and insertion): the node keeps
        the recorded attributes dict as it is (set_attributes copies before it changes one)
        and the raw text (cleaned when read)."""
        added: list[int] = []
        nodes, live = self.nodes, self.live
        top = serialized.get("id") if isinstance(serialized, dict) else None
        stack = [(serialized, parent)]
        while stack:
            current, parent_id = stack.pop()
            if type(current) is not dict:
                continue
            node_id = current.get("id")
            if type(node_id) is not int:
                continue
            kind = current.get("type")
            if kind == ELEMENT:
                tag = current.get("tagName")
                attributes = current.get("attributes")
                node = Node(
                    node_id,
                    ELEMENT,
                    tag.lower() if isinstance(tag, str) else "",
                    attributes if type(attributes) is dict else {},
                    "",
                    parent_id,
                    [],
                )
                if ("role" in node.attributes or "aria-live" in node.attributes) and _is_live(node):
                    live.add(node_id)
                if "_cssText" in node.attributes:  # a <style> or <link> sheet, as rrweb keeps it
                    self._sheet(node_id, node.attributes["_cssText"])
                if node.tag in FIELD_TAGS or "contenteditable" in node.attributes:
                    self.fields.add(node_id)
                added.append(node_id)
            elif kind == TEXT:
                text = current.get("textContent")
                node = Node(
                    node_id, TEXT, "", {}, text if isinstance(text, str) else "", parent_id, []
                )
                if current.get("isStyle"):
                    self._sheet(node_id, text)
            else:
                node = Node(node_id, kind if type(kind) is int else 0, parent=parent_id)
            nodes[node_id] = node
            parent_node = nodes.get(parent_id) if parent_id is not None else None
            # Inside the new subtree each child comes once (no need to look for it).
            if parent_node is not None and (node_id != top or node_id not in parent_node.children):
                parent_node.children.append(node_id)
            children = current.get("childNodes")
            if type(children) is list and children:
                stack.extend([(child, node_id) for child in reversed(children)])
        return added

    def remove(self, node_id: int) -> list[int]:
        """Removes a node and its subtree; returns the removed ids."""
        node = self.nodes.get(node_id)
        if node is None:
            return []
        if node.parent in self.nodes:
            siblings = self.nodes[node.parent].children
            if node_id in siblings:
                siblings.remove(node_id)
        removed, stack = [], [node_id]
        while stack:
            current = self.nodes.pop(stack.pop(), None)
            if current is not None:
                self.live.discard(current.id)
                if current.id in self.sheets:
                    self._sheet(current.id, None)
                self.fields.discard(current.id)
                removed.append(current.id)
                stack.extend(current.children)
        return removed

    def set_attributes(self, node_id: int, attributes: dict) -> None:
        node = self.nodes.get(node_id)
        if node is None or not isinstance(attributes, dict):
            return
        # A copy: the node shares the recorded event's dict until its first change.
        node.attributes = dict(node.attributes)
        for name, value in attributes.items():
            if value is None:
                node.attributes.pop(name, None)
            elif name == "style" and isinstance(value, dict):
                # rrweb records a change of element.style as a diff of properties, not the
                # attribute's new text: apply it, or a message shown by `style.display` is lost.
                node.attributes["style"] = _style_with(node.attributes.get("style"), value)
            else:
                node.attributes[name] = value
        if "_cssText" in attributes:
            self._sheet(node_id, attributes["_cssText"])
        if node.type == ELEMENT and ("role" in attributes or "aria-live" in attributes):
            if _is_live(node):
                self.live.add(node_id)
            else:
                self.live.discard(node_id)

    def set_text(self, node_id: int, value) -> None:
        node = self.nodes.get(node_id)
        if node is not None:
            node.text = value if isinstance(value, str) else ""
            if node_id in self.sheets:
                self._sheet(node_id, value)

    def _sync(self) -> None:
        for node in self.nodes.values():
            if node.type == ELEMENT:
                if "_cssText" in node.attributes:
                    self._sheet(node.id, node.attributes["_cssText"])
                if node.tag in FIELD_TAGS or "contenteditable" in node.attributes:
                    self.fields.add(node.id)
            elif node.type == TEXT and node.parent is not None:
                parent = self.nodes.get(node.parent)
                if parent is not None and parent.tag == "style":
                    self._sheet(node.id, node.text)
        self._synced = True

    def _sheet(self, node_id: int, text) -> None:
        if isinstance(text, str) and text.strip():
            if self.sheets.get(node_id) != text:
                self.sheets[node_id] = text
                self._rules = None
        elif self.sheets.pop(node_id, None) is not None:
            self._rules = None

    def _sheet_rules(self) -> dict[str, list[tuple[tuple[int, int], css.Rule]]]:
        if self._rules is None:
            self._rules, self._verdicts = {}, {}
            # Sheets in document order (rrweb numbers nodes in the order it meets them).
            for rank, node_id in enumerate(sorted(self.sheets)):
                for rule in css.rules(self.sheets[node_id]):
                    self._rules.setdefault(rule.key, []).append(((rank, rule.order), rule))
        return self._rules

    # -- reading --------------------------------------------------------------------------
    def text_of(self, node_id: int, limit: int = MAX_TEXT) -> str:
        node = self.nodes.get(node_id)
        if node is None:
            return ""
        if node.type == TEXT:
            return _text(node)[:limit]
        parts, stack, size = [], [node_id], 0
        while stack and size < limit:
            current = self.nodes.get(stack.pop())
            if current is None or current.tag in ("script", "style"):
                continue
            text = _text(current) if current.type == TEXT else ""
            if text:
                parts.append(text)
                size += len(text) + 1
            stack.extend(reversed(current.children))
        return " ".join(parts)[:limit]

    def label_of(self, node_id: int) -> str:
        """What a person reads on a control: its text, else its accessible name or value."""
        node = self.nodes.get(node_id)
        if node is None:
            return ""
        text = self.text_of(node_id, 80)
        if text:
            return text
        for name in ("aria-label", "title", "alt", "placeholder"):
            value = _clean(node.attributes.get(name))
            if value:
                return value[:80]
        kind = _clean(node.attributes.get("type")).lower()
        if node.tag == "input" and kind in SUBMIT_INPUT_TYPES:
            return _clean(node.attributes.get("value"))[:80]
        return ""

    def control_of(self, node_id: int | None) -> int | None:
        """The control a click landed in (the button around the icon that was hit)."""
        current = self.nodes.get(node_id) if node_id is not None else None
        hops = 0
        while current is not None and hops < 6:
            if current.type == ELEMENT and (
                current.tag in CONTROL_TAGS or current.attributes.get("role") == "button"
            ):
                return current.id
            current = self.nodes.get(current.parent) if current.parent is not None else None
            hops += 1
        return node_id if node_id in self.nodes else None

    def form_of(self, node_id: int | None) -> int | None:
        current = self.nodes.get(node_id) if node_id is not None else None
        while current is not None:
            if current.tag == "form":
                return current.id
            current = self.nodes.get(current.parent) if current.parent is not None else None
        return None

    def is_form_control(self, node_id: int | None) -> bool:
        """A control that sends or checks a form: a button, submit-like input or role=button
        inside a <form>, or outside one with a field to fill near it (a single-page app's form
        without the tag). A button with no field around it (Copy link, Share, a stepper) checks
        nothing a person typed: a message after it is feedback, not a refusal."""
        node = self.nodes.get(node_id) if node_id is not None else None
        if node is None or node.type != ELEMENT:
            return False
        if not self._synced:
            self._sync()
        kind = _clean(node.attributes.get("type")).lower()
        if node.tag == "input":
            submits = kind in SUBMIT_INPUT_TYPES
        elif node.tag == "button":
            submits = kind != "reset"
        else:
            submits = node.attributes.get("role") == "button"
        if not submits:
            return False
        return self.form_of(node_id) is not None or self._fields_near(node)

    def _is_field(self, node: Node) -> bool:
        attributes = node.attributes
        if "disabled" in attributes or "readonly" in attributes:
            return False
        if node.tag in ("textarea", "select"):
            return True
        if node.tag == "input":
            return _clean(attributes.get("type")).lower() not in NOT_FIELDS
        editable = attributes.get("contenteditable")
        return editable is not None and _clean(editable).lower() != "false"

    def _fields_near(self, node: Node) -> bool:
        """A field in the subtree of one of the control's NEAR_LEVELS nearest ancestors, found
        within NEAR_NODES elements (each level adds only the branches not walked yet)."""
        if not self._shares_ancestor_with_a_field(node):
            return False  # the walk below would find nothing: spare it (most clicks)
        walked, budget = node.id, NEAR_NODES
        current = self.nodes.get(node.parent) if node.parent is not None else None
        for _ in range(NEAR_LEVELS):
            if current is None or current.type != ELEMENT or current.tag in ("body", "html"):
                return False
            stack = [child for child in current.children if child != walked]
            while stack:
                child = self.nodes.get(stack.pop())
                if child is None or child.type != ELEMENT:
                    continue
                budget -= 1
                if budget < 0:
                    return False
                if self._is_field(child):
                    return True
                stack.extend(child.children)
            walked = current.id
            current = self.nodes.get(current.parent) if current.parent is not None else None
        return False

    def _shares_ancestor_with_a_field(self, node: Node) -> bool:
        near, current = set(), self.nodes.get(node.parent) if node.parent is not None else None
        while current is not None and len(near) < NEAR_LEVELS:
            if current.tag in ("body", "html"):
                break
            near.add(current.id)
            current = self.nodes.get(current.parent) if current.parent is not None else None
        if not near:
            return False
        for field_id in self.fields:
            current = self.nodes.get(field_id)
            while current is not None:
                if current.id in near:
                    return True
                current = self.nodes.get(current.parent) if current.parent is not None else None
        return False

    def is_editable(self, node_id: int | None) -> bool:
        node = self.nodes.get(node_id) if node_id is not None else None
        if node is None:
            return False
        if node.tag in ("textarea", "select", "option", "label"):
            return True
        if node.tag == "input":
            return _clean(node.attributes.get("type")).lower() not in SUBMIT_INPUT_TYPES
        return "contenteditable" in node.attributes

    def live_region_of(self, node_id: int | None) -> int | None:
        """The nearest element (itself included) that screen readers announce: role alert or
        status, or aria-live other than off."""
        if not self.live:
            return None
        current = self.nodes.get(node_id) if node_id is not None else None
        while current is not None:
            if current.id in self.live:
                return current.id
            current = self.nodes.get(current.parent) if current.parent is not None else None
        return None

    def within_role(self, node_id: int | None, roles: frozenset[str], hops: int = 8) -> bool:
        current = self.nodes.get(node_id) if node_id is not None else None
        while current is not None and hops > 0:
            if _clean(current.attributes.get("role")).lower() in roles:
                return True
            current = self.nodes.get(current.parent) if current.parent is not None else None
            hops -= 1
        return False

    def is_hidden(self, node_id: int) -> bool:
        node = self.nodes.get(node_id)
        if node is None:
            return True
        if not self._synced:
            self._sync()
        attributes = node.attributes
        if not attributes and not self.sheets:
            return False
        if "hidden" in attributes:
            return True
        aria_hidden = attributes.get("aria-hidden")
        if aria_hidden is not None and _clean(aria_hidden).lower() == "true":
            return True
        if self.sheets and node.type == ELEMENT:
            by_sheets = self._sheet_verdict(node)
            if by_sheets is not None:
                return by_sheets
        style = attributes.get("style")
        return isinstance(style, str) and bool(style) and _style_hides(style)

    def _sheet_verdict(self, node: Node) -> bool | None:
        """Whether the stylesheets (with the inline style) hide the element; None when no rule
        applies to it. Kept per (tag, id, class, style): a page repeats few of them."""
        rules = self._sheet_rules()
        if not rules:
            return None
        attributes = node.attributes
        element_id, classes = attributes.get("id"), attributes.get("class")
        if element_id is None and classes is None and node.tag not in rules:
            return None  # no rule can apply: most elements of most pages
        key = (node.tag, element_id, classes, attributes.get("style"))
        try:
            return self._verdicts[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable attribute value: judge it without keeping it
            matched = self._matching_rules(node, rules)
            return css.hides(_cascade(matched, attributes.get("style"))) if matched else None
        matched = self._matching_rules(node, rules)
        verdict = css.hides(_cascade(matched, attributes.get("style"))) if matched else None
        if len(self._verdicts) >= MAX_VERDICTS:
            self._verdicts.clear()
        self._verdicts[key] = verdict
        return verdict

    def _matching_rules(self, node: Node, rules) -> list[tuple[tuple[int, int], css.Rule]]:
        element_id = _clean(node.attributes.get("id"))
        classes = set(_clean(node.attributes.get("class")).split())
        keys = [node.tag, *(f".{name}" for name in classes)]
        if element_id:
            keys.append(f"#{element_id}")
        return [
            (rank, rule)
            for key in keys
            for rank, rule in rules.get(key, ())
            if rule.matches(node.tag, element_id, classes)
        ]

    def selector_of(self, node_id: int | None, depth: int = 3) -> str:
        """A short CSS selector for the element: tag, id, up to two classes, for it and up to
        ``depth - 1`` ancestors (stopping at an id, which is unique enough)."""
        parts, current = [], self.nodes.get(node_id) if node_id is not None else None
        while current is not None and len(parts) < depth:
            if current.type == ELEMENT and current.tag not in ("html", "body"):
                part = current.tag
                element_id = _clean(current.attributes.get("id"))
                if element_id:
                    parts.append(f"{part}#{element_id[:40]}")
                    break
                classes = _clean(current.attributes.get("class")).split()[:2]
                part += "".join(f".{name[:30]}" for name in classes)
                name = _clean(current.attributes.get("name"))
                if name and current.tag in ("input", "select", "textarea", "button", "form"):
                    part += f'[name="{name[:40]}"]'
                parts.append(part)
            current = self.nodes.get(current.parent) if current.parent is not None else None
        return " > ".join(reversed(parts))[:300]
