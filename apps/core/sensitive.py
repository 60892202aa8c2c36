"""Pattern detectors for secrets that escaped the browser's masking. Each pattern is narrowed by
a validator (Luhn, IBAN mod 97, SSN ranges, a JWT's JSON header) so ids, timestamps and hashes
in a DOM do not drown the real findings."""

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass

import orjson

CARD = "card_number"
EMAIL = "email"
PHONE = "phone"
SSN = "us_ssn"
IBAN = "iban"
JWT = "jwt"
API_KEY = "api_key"
SENSITIVE_INPUT = "sensitive_input"
PRIVATE_ELEMENT = "private_element"
DENIED_HEADER = "denied_header"

LABELS = {
    CARD: "Card number",
    EMAIL: "E-mail address",
    PHONE: "Phone number",
    SSN: "US social security number",
    IBAN: "IBAN",
    JWT: "JSON web token",
    API_KEY: "API key or token",
    SENSITIVE_INPUT: "Password, e-mail or phone input",
    PRIVATE_ELEMENT: "Inside a data-private element",
    DENIED_HEADER: "Denied network header",
}
KINDS = list(LABELS)
MAX_TEXT = 256 * 1024  # longer strings (inline images, bundles) are scanned in their head only


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = ord(char) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(4|5[1-5]|2[2-7]|3[47]|3[068]|35|6011|64[4-9]|65|62)")


def _card(text: str) -> bool:
    digits = re.sub(r"[ -]", "", text)
    if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    if not _CARD_PREFIX.match(digits):
        return False
    return luhn_valid(digits)


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _ssn(text: str) -> bool:
    area, group, serial = text.split("-")
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _jwt(text: str) -> bool:
    header = text.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        return isinstance(orjson.loads(decoded), dict)
    except (ValueError, orjson.JSONDecodeError):
        return False


def _phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return 8 <= len(digits) <= 15


def _always(text: str) -> bool:
    return True


# (kind, pattern, validator, group): ``group`` is the part that is the secret.
PATTERNS: list[tuple[str, re.Pattern, Callable[[str], bool], int]] = [
    (JWT, re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), _jwt, 0),
    (
        API_KEY,
        re.compile(
            r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"
            r"|\bAKIA[0-9A-Z]{16}\b"
            r"|\bgh[pousr]_[A-Za-z0-9]{36,}"
            r"|\bgithub_pat_[A-Za-z0-9_]{40,}"
            r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"
            r"|\bAIza[0-9A-Za-z_-]{35}"
            r"|\bglpat-[A-Za-z0-9_-]{20,}"
            r"|\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}"
            r"|\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"
            r"|\bqor_(?:api|ingest)_[0-9a-f]{8}_[0-9a-f]{48}\b"
        ),
        _always,
        0,
    ),
    (
        API_KEY,
        re.compile(
            r"(?i)(?:api[_-]?key|access[_-]?token|secret|bearer|authorization|token)"
            r"[\"'\s:=]{1,5}([A-Za-z0-9_\-.+/]{24,}={0,2})"
        ),
        _always,
        1,
    ),
    (
        EMAIL,
        re.compile(
            r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
        ),
        _always,
        0,
    ),
    (
        IBAN,
        re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
        iban_valid,
        0,
    ),
    (CARD, re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])"), _card, 0),
    (SSN, re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"), _ssn, 0),
    (
        PHONE,
        re.compile(
            r"(?<![\w+])\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?!\w)"
            r"|(?<![\w(])\(\d{3}\) ?\d{3}[ .-]\d{4}(?!\w)"
            r"|(?<![\w-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w-])"
        ),
        _phone,
        0,
    ),
]


def find(text: str) -> list[Match]:
    """Non-overlapping matches in ``text``, earlier patterns winning overlaps."""
    if not text or len(text) < 6:
        return []
    text = text[:MAX_TEXT]
    found: list[Match] = []
    for kind, pattern, valid, group in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span(group)
            if start < 0 or not valid(m.group(group)):
                continue
            if any(start < other.end and other.start < end for other in found):
                continue
            found.append(Match(kind, start, end))
    return sorted(found, key=lambda match: match.start)


def scrub(text: str) -> str:
    """``text`` with every value a pattern finds replaced by ``[kind]``, as excerpts show them:
    for text copied out of a recording into rows the audit never rewrites (insights)."""
    matches = find(text)
    if not matches:
        return text
    pieces, cursor = [], 0
    for match in matches:
        pieces += [text[cursor : match.start], f"[{match.kind}]"]
        cursor = match.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def is_masked(value: str) -> bool:
    """What the recorder's masking produces: every visible character replaced by '*'."""
    return all(c == "*" or c.isspace() for c in value)


def mask(value: str) -> str:
    return "".join(c if c.isspace() else "*" for c in value)
