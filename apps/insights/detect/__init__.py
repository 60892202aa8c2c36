"""The detectors: pure functions over a session's events, in time order. ``detect(events)``
returns every finding, each with its evidence and sentence."""

from . import clicks, double_submit, invisible_error, slow_page
from .findings import HIGH, LOW, MEDIUM, Detected
from .timeline import Reading, Timeline, build_timeline

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "Detected",
    "Reading",
    "Timeline",
    "build_timeline",
    "detect",
    "detect_timeline",
]


def detect(events) -> list[Detected]:
    return detect_timeline(build_timeline(events))


def detect_timeline(t: Timeline) -> list[Detected]:
    doubles = double_submit.detect(t)
    taken = {trace for finding in doubles for trace in finding.trace_ids}
    # The double submit's requests, by when and what (not all requests carry a trace id).
    sent_twice = frozenset(
        (t.start + r["offset_ms"], r["method"], r["url"])
        for finding in doubles
        for r in finding.evidence["requests"]
    )
    doubled = frozenset(
        t.start + a["offset_ms"] for finding in doubles for a in finding.evidence["activations"]
    )
    found = [
        *doubles,
        *invisible_error.detect(t),
        *slow_page.detect(t),
        *clicks.rage(t, doubled),
        *clicks.dead(t),
        *clicks.error_after(t, taken, sent_twice),
    ]
    found.sort(key=lambda finding: (finding.ts, finding.kind))
    return found
