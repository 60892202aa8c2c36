"""Every string in a batch of rrweb events worth scanning, with where it is (a CSS path or an
event field), whether its context demands masking, and how to replace it (for redaction)."""

from collections.abc import Iterator
from dataclasses import dataclass

from apps.core import sensitive as detectors

from ..network_headers import NETWORK_TAG, REDACTED, network_headers_of
from .dom import ELEMENT, TEXT, DomState

FULL_SNAPSHOT, INCREMENTAL, META, CUSTOM, PLUGIN = 2, 3, 4, 5, 6
MUTATION, INPUT = 0, 5
MAX_DEPTH = 40


@dataclass
class Site:
    event_index: int
    location: str  # "text", "attribute:title", "input", "custom:qorrelate.console.message"…
    element_id: int | None  # the DOM element it belongs to (its CSS path is built on a hit)
    value: str
    container: dict | list
    key: str | int
    must_mask: str | None = None  # a detector kind when the whole value should have been masked


def _context(state: DomState, node_id) -> tuple[int | None, str | None, bool]:
    element_id, element = state.element_of(node_id)
    if element is None:
        return element_id, None, False
    is_form = element.tag in ("input", "textarea", "select")
    if element.sensitive_input:
        return element_id, detectors.SENSITIVE_INPUT, True
    if element.private:
        return element_id, detectors.PRIVATE_ELEMENT, is_form
    return element_id, None, is_form


def _serialized_tree(state: DomState, index: int, root, parent) -> Iterator[Site]:
    stack = [(root, parent)]
    while stack:
        node, parent_id = stack.pop()
        if not isinstance(node, dict):
            continue
        node_id = node.get("id")
        kind = node.get("type")
        if kind == ELEMENT:
            attrs = node.get("attributes") if isinstance(node.get("attributes"), dict) else {}
            state.add(node_id, tag=node.get("tagName") or "", parent=parent_id, attrs=attrs)
            yield from _attribute_sites(state, index, node_id, attrs)
        else:
            state.add(node_id, tag="", parent=parent_id, attrs={})
            if kind == TEXT and isinstance(node.get("textContent"), str):
                element_id, must, _form = _context(state, node_id)
                yield Site(
                    index, "text", element_id, node["textContent"], node, "textContent", must
                )
        children = node.get("childNodes")
        if isinstance(children, list):
            for child in reversed(children):
                stack.append((child, node_id))


def _attribute_sites(state: DomState, index: int, node_id, attrs: dict) -> Iterator[Site]:
    element_id, must, is_form = _context(state, node_id)
    for name, value in attrs.items():
        if not isinstance(value, str) or not value or name.startswith("rr_"):
            continue
        if name in ("src", "href") and value.startswith("data:"):
            continue  # inline images and fonts
        masked_kind = must if (name == "value" and is_form) or (name == "value" and must) else None
        yield Site(index, f"attribute:{name}", element_id, value, attrs, name, masked_kind)


def _mutation(state: DomState, index: int, data: dict) -> Iterator[Site]:
    for add in data.get("adds") or []:
        if isinstance(add, dict):
            yield from _serialized_tree(state, index, add.get("node"), add.get("parentId"))
    for change in data.get("attributes") or []:
        if isinstance(change, dict) and isinstance(change.get("attributes"), dict):
            state.update_attrs(change.get("id"), change["attributes"])
            yield from _attribute_sites(state, index, change.get("id"), change["attributes"])
    for text in data.get("texts") or []:
        if isinstance(text, dict) and isinstance(text.get("value"), str):
            element_id, must, _form = _context(state, text.get("id"))
            yield Site(index, "text", element_id, text["value"], text, "value", must)


def _json_strings(index: int, root, location: str) -> Iterator[Site]:
    stack = [(root, location, 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(child, str):
                    yield Site(index, f"{path}.{key}", None, child, value, key)
                else:
                    stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(value, list):
            for i, child in enumerate(value):
                if isinstance(child, str):
                    yield Site(index, path, None, child, value, i)
                else:
                    stack.append((child, path, depth + 1))


def _denied_header_sites(index: int, event: dict, denied: frozenset[str]) -> Iterator[Site]:
    """A denied header's value other than the recorder's [redacted] should never have been
    stored (the intake strips them; a recording stored before the organization added the name
    to its list may still hold one)."""
    for headers in network_headers_of(event):
        for name, value in headers.items():
            if isinstance(value, str) and value != REDACTED and str(name).lower() in denied:
                location = f"custom:{NETWORK_TAG}.headers.{str(name)[:40]}"
                yield Site(index, location, None, value, headers, name, detectors.DENIED_HEADER)


def iter_sites(
    events: list[dict], state: DomState, denied_headers: frozenset[str] = frozenset()
) -> Iterator[Site]:
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        kind = event.get("type")
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        if kind == FULL_SNAPSHOT:
            state.reset()
            yield from _serialized_tree(state, index, data.get("node"), None)
        elif kind == INCREMENTAL:
            source = data.get("source")
            if source == MUTATION:
                yield from _mutation(state, index, data)
            elif source == INPUT and isinstance(data.get("text"), str):
                element_id, must, _form = _context(state, data.get("id"))
                yield Site(index, "input", element_id, data["text"], data, "text", must)
        elif kind == META and isinstance(data.get("href"), str):
            yield Site(index, "meta.href", None, data["href"], data, "href")
        elif kind == CUSTOM:
            if denied_headers:
                yield from _denied_header_sites(index, event, denied_headers)
            tag = data.get("tag") if isinstance(data.get("tag"), str) else "custom"
            yield from _json_strings(index, data.get("payload"), f"custom:{tag[:40]}")
        elif kind == PLUGIN:
            yield from _json_strings(index, data, "plugin")
