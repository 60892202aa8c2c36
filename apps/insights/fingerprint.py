"""Which findings are the same problem: one kind, on one page (ids in the path made generic),
on one element."""

import hashlib
import re
from urllib.parse import urlsplit

_ID_SEGMENT = re.compile(
    r"^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}"
    r"|[A-Za-z0-9_-]{20,})$",
    re.IGNORECASE,
)


def page_of(url: str) -> str:
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        path = "/"
    segments = [":id" if _ID_SEGMENT.match(s) else s for s in path.split("/")]
    return "/".join(segments)[:300] or "/"


def fingerprint(*, kind: str, page: str, selector: str) -> str:
    return hashlib.sha1(
        f"{kind}\x1f{page}\x1f{selector}".encode(), usedforsecurity=False
    ).hexdigest()
