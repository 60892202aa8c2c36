"""The page's own stylesheet rules that hide or show an element, read from the recording: rrweb
keeps the text of each ``<style>`` and same-origin ``<link rel=stylesheet>`` as the element's
``_cssText`` attribute. A message shown by a class (``.note.on { visibility: visible }``)
changes only the class attribute; with these rules the mirror sees it shown.

Only the selectors a class toggle uses are read: one compound selector of a tag, an id and
classes (``.note``, ``.note.on``, ``div#n.open``). Selectors that depend on more than the element
(descendants, siblings, pseudo-classes, attributes) and @-blocks (@media, @supports) are left
out: what they do cannot be told from the element alone, and the mirror would guess.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

PROPERTIES = ("display", "visibility", "opacity")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_BRACE = re.compile(r"[{}]")
_COMPOUND = re.compile(r"(?:[a-zA-Z][\w-]*|\*)?(?:[.#](?:[\w-]|\\.)+)*")
_PART = re.compile(r"([.#])((?:[\w-]|\\.)+)")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Rule:
    tag: str  # "" for any
    id: str
    classes: frozenset[str]
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[tuple[str, str, bool], ...]  # (property, value, !important)

    def matches(self, tag: str, element_id: str, classes: set[str]) -> bool:
        return (
            (not self.tag or self.tag == tag)
            and (not self.id or self.id == element_id)
            and self.classes <= classes
        )

    @property
    def key(self) -> str:
        """What an element must have for the rule to apply: its id, a class, or its tag."""
        if self.id:
            return "#" + self.id
        if self.classes:
            return "." + min(self.classes)
        return self.tag or "*"


def declarations(block: str) -> tuple[tuple[str, str, bool], ...]:
    found = []
    for part in block.split(";"):
        name, colon, value = part.partition(":")
        name = name.strip().lower()
        if not colon or name not in PROPERTIES:
            continue
        value = " ".join(value.split()).lower()
        important = value.endswith("!important")
        if important:
            value = value[: -len("!important")].strip()
        found.append((name, value, important))
    return tuple(found)


def _blocks(css: str):
    """(selector text, declarations text) of the sheet's top-level rules; @-blocks skipped."""
    depth, start, prelude = 0, 0, ""
    for brace in _BRACE.finditer(css):
        if brace.group() == "{":
            if depth == 0:
                # A statement before the rule (`@import …;`) ends at its semicolon.
                prelude = css[start : brace.start()].rsplit(";", 1)[-1].strip()
                start = brace.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                if not prelude.startswith("@"):
                    yield prelude, css[start : brace.start()]
                start = brace.end()


def _selector(text: str) -> tuple[str, str, frozenset[str]] | None:
    text = text.strip()
    if not text or not _COMPOUND.fullmatch(text):
        return None
    tag = re.match(r"[a-zA-Z][\w-]*|\*", text)
    tag_name = tag.group().lower() if tag and tag.group() != "*" else ""
    element_id, classes = "", set()
    for kind, name in _PART.findall(text):
        name = _ESCAPE.sub(r"\1", name)
        if kind == "#":
            element_id = name
        else:
            classes.add(name)
    if not (tag_name or element_id or classes):
        return None  # `*`: too broad to say anything about one element
    return tag_name, element_id, frozenset(classes)


@lru_cache(maxsize=64)
def rules(css: str) -> tuple[Rule, ...]:
    """The sheet's rules on display, visibility or opacity with a simple selector, in order.
    Cached by text: a page's sheets come again in every full snapshot and every session."""
    found: list[Rule] = []
    css = _COMMENT.sub("", css)
    for prelude, block in _blocks(css):
        lowered = block.lower()
        if not any(name in lowered for name in PROPERTIES):
            continue
        decls = declarations(block)
        if not decls:
            continue
        for selector in prelude.split(","):
            parsed = _selector(selector)
            if parsed is None:
                continue
            tag, element_id, classes = parsed
            specificity = (1 if element_id else 0, len(classes), 1 if tag else 0)
            found.append(Rule(tag, element_id, classes, specificity, len(found), decls))
    return tuple(found)


def hides(values: dict[str, str]) -> bool:
    """Whether the winning display / visibility / opacity values hide the element."""
    if values.get("display") == "none" or values.get("visibility") in ("hidden", "collapse"):
        return True
    opacity = values.get("opacity")
    if opacity is None:
        return False
    try:
        return float(opacity) == 0
    except ValueError:
        return False
