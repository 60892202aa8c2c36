"""Clicks that went wrong, judged over the whole session (so a burst or an answer that falls in
the next batch is seen): rage clicks, dead clicks, and an error right after a click."""

import bisect

from apps.replay.analysis import (
    DEAD_CLICK_WINDOW_MS,
    RAGE_MAX_GAP_MS,
    RAGE_MIN_CLICKS,
    RAGE_RADIUS_PX,
)

from .findings import HIGH, LOW, MEDIUM, Detected, quoted, request_evidence, seconds, short_trace
from .timeline import Timeline

ERROR_AFTER_CLICK_MS = 2_000


def _same_spot(a, b) -> bool:
    if a.target is not None and a.target == b.target:
        return True
    if None in (a.x, a.y, b.x, b.y):
        return False
    return (a.x - b.x) ** 2 + (a.y - b.y) ** 2 <= RAGE_RADIUS_PX**2


def rage(t: Timeline, explained: frozenset[int] = frozenset()) -> list[Detected]:
    """Bursts of clicks on one spot. ``explained``: times of clicks a double submit already
    reports (a control clicked three times that sent three orders is that, not a rage click)."""
    clicks = [a for a in t.activations if a.kind == "click"]
    found, burst = [], []

    def answered(i: int) -> bool:
        """The page changed, sent or navigated after click i, before the next one."""
        lo = burst[i].ts
        hi = burst[i + 1].ts if i + 1 < len(burst) else lo + RAGE_MAX_GAP_MS
        j = bisect.bisect_left(t.changes, lo)
        return (
            (j < len(t.changes) and t.changes[j] < hi)
            or any(lo <= r.ts < hi for r in t.requests)
            or any(lo <= n < hi for n in t.navigations)
        )

    def close():
        if len(burst) < RAGE_MIN_CLICKS or any(c.ts in explained for c in burst):
            return
        # A stepper or a carousel clicked fast answers every click: that is not frustration.
        if sum(1 for i in range(len(burst)) if not answered(i)) >= RAGE_MIN_CLICKS - 1:
            first = burst[0]
            span = burst[-1].ts - first.ts
            found.append(
                Detected(
                    kind="rage_click",
                    ts=first.ts,
                    duration=span,
                    url=first.url,
                    selector=first.selector,
                    element_text=first.label,
                    sentence=f"Clicked {quoted(first.label)} {len(burst)} times in "
                    f"{seconds(span)}.",
                    severity=MEDIUM,
                    evidence={"clicks": len(burst), "offset_ms": first.ts - t.start},
                )
            )

    for click in clicks:
        if burst and _same_spot(burst[0], click) and click.ts - burst[-1].ts <= RAGE_MAX_GAP_MS:
            burst.append(click)
        else:
            close()
            burst = [click]
    close()
    return found


def dead(t: Timeline) -> list[Detected]:
    """Clicks nothing answered: no change on the page, no request, no error (an error is
    reported as an error after click) in the next DEAD_CLICK_WINDOW_MS. Dead clicks on one
    control in a row (a person trying again) are one finding."""
    found = []
    responses = t.responses
    last: dict[int, tuple[int, Detected]] = {}  # control -> (its last dead click, its finding)
    for click in t.activations:
        if click.kind != "click" or click.editable or click.node is None:
            continue
        if click.ts + DEAD_CLICK_WINDOW_MS > t.end:
            continue  # the session ends before the answer could come: not judged
        until = click.ts + DEAD_CLICK_WINDOW_MS
        # A change stamped with the click's own millisecond is its synchronous answer.
        i = bisect.bisect_left(responses, click.ts)
        if i < len(responses) and responses[i] <= until:
            continue
        if any(click.ts <= r.ts <= until for r in t.requests):
            continue
        if any(click.ts <= ts <= until for ts, _ in t.errors):
            continue
        previous = last.get(click.node)
        if previous is not None and click.ts - previous[0] <= DEAD_CLICK_WINDOW_MS:
            finding = previous[1]
            finding.evidence["clicks"] += 1
            finding.duration = until - finding.ts
            finding.sentence = (
                f"Clicked {quoted(click.label)} {finding.evidence['clicks']} times; nothing on "
                f"the page changed and no request was sent in the next "
                f"{seconds(DEAD_CLICK_WINDOW_MS)}."
            )
            last[click.node] = (click.ts, finding)
            continue
        finding = Detected(
            kind="dead_click",
            ts=click.ts,
            duration=DEAD_CLICK_WINDOW_MS,
            url=click.url,
            selector=click.selector,
            element_text=click.label,
            sentence=f"Clicked {quoted(click.label)}; nothing on the page changed and no "
            f"request was sent in the next {seconds(DEAD_CLICK_WINDOW_MS)}.",
            severity=LOW,
            evidence={"offset_ms": click.ts - t.start, "clicks": 1},
        )
        found.append(finding)
        last[click.node] = (click.ts, finding)
    return found


def error_after(
    t: Timeline, taken_traces: set[str], taken_requests: frozenset = frozenset()
) -> list[Detected]:
    """An uncaught error or a failed request within 2 s of a click (requests that are already
    part of a double submit are left to it)."""
    found = []
    for click in t.activations:
        window = (click.ts, click.ts + ERROR_AFTER_CLICK_MS)
        failed = [
            r
            for r in t.requests
            if window[0] <= r.ts <= window[1]
            and r.failed
            and not (r.trace_id and r.trace_id in taken_traces)
            and (r.ts, r.method, r.url[:500]) not in taken_requests
        ]
        errors = [(ts, m) for ts, m in t.errors if window[0] <= ts <= window[1]]
        if not failed and not errors:
            continue
        label = quoted(click.label)
        if failed:
            r = failed[0]
            outcome = "failed with a network error" if r.status == 0 else f"returned {r.status}"
            trace = f" (trace {short_trace(r.trace_id)})" if r.trace_id else ""
            sentence = (
                f"Clicked {label}; {seconds(r.ts - click.ts)} later {r.method} {r.path} "
                f"{outcome}{trace}."
            )
            moment = r.end
        else:
            ts, message = errors[0]
            delay = seconds(ts - click.ts)
            sentence = f"Clicked {label}; {delay} later the page threw “{message[:160]}”."
            moment = ts
        found.append(
            Detected(
                kind="error_after_click",
                ts=click.ts,
                duration=max(0, moment - click.ts),
                url=click.url,
                selector=click.selector,
                element_text=click.label,
                sentence=sentence,
                severity=HIGH if any((r.status or 0) >= 500 for r in failed) else MEDIUM,
                evidence={
                    "requests": [request_evidence(r, t.start) for r in failed],
                    "errors": [{"offset_ms": ts - t.start, "message": m} for ts, m in errors],
                },
                trace_ids=[r.trace_id for r in failed if r.trace_id],
            )
        )
        taken_traces.update(r.trace_id for r in failed if r.trace_id)
    return found
