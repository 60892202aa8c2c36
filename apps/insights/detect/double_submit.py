"""Double submit / race: the same control activated twice or more within a second, each
activation sending the same request, where the method is not idempotent or the outcomes differ.
Not a finding: a double click that sends one request, identical GETs with the same result, or
a retry after the first attempt visibly failed."""

from .findings import HIGH, MEDIUM, Detected, quoted, request_evidence, short_trace
from .timeline import Timeline

WINDOW_MS = 1_000
# Requests an activation sends start this soon after it.
SENDS_WITHIN_MS = 1_000
# A second click sooner than this after the first attempt failed was not a reaction to it.
REACTION_MS = 250
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _same_control(t: Timeline, a, b) -> bool:
    if a.node is not None and a.node == b.node:
        return True
    if not (a.selector and a.selector == b.selector and a.label == b.label):
        return False
    if a.node is None or b.node is None:
        return True
    # Two elements alike ("Add to cart" on two products) are two controls, unless the first was
    # gone before the second click: the page re-rendered the control.
    removed = t.removed.get(a.node)
    return removed is not None and removed <= b.ts


def _groups(t: Timeline, activations):
    groups, current = [], []
    for activation in activations:
        if (
            current
            and _same_control(t, current[-1], activation)
            and (activation.ts - current[-1].ts <= WINDOW_MS)
        ):
            current.append(activation)
        else:
            if len(current) >= 2:
                groups.append(current)
            current = [activation]
    if len(current) >= 2:
        groups.append(current)
    return groups


def detect(t: Timeline) -> list[Detected]:
    found = []
    activations = [a for a in t.activations if not a.editable]
    for group in _groups(t, activations):
        sent = []  # (activation index, request)
        for i, activation in enumerate(group):
            until = group[i + 1].ts if i + 1 < len(group) else activation.ts + SENDS_WITHIN_MS
            until = min(until, activation.ts + SENDS_WITHIN_MS)
            sent.extend((i, r) for r in t.requests if activation.ts <= r.ts < until)
        by_target: dict[tuple[str, str], list] = {}
        for i, request in sent:
            by_target.setdefault((request.method, request.path), []).append((i, request))
        for (method, path), pairs in by_target.items():
            if len({i for i, _ in pairs}) < 2:
                continue  # one activation sent them all (or a double click sent one)
            requests = [r for _, r in pairs]
            statuses = {r.status for r in requests}
            if method in SAFE and len(statuses) == 1:
                continue
            if method in IDEMPOTENT and len(statuses) == 1 and not requests[0].failed:
                continue
            first = requests[0]
            second_activation = group[pairs[1][0]]
            if first.failed and second_activation.ts - first.end >= REACTION_MS:
                continue  # the person saw the first attempt fail and tried again
            found.append(_finding(t, group, method, path, requests))
            break
    return found


def _finding(t: Timeline, group, method: str, path: str, requests) -> Detected:
    first = group[0]
    gap = group[1].ts - first.ts
    times = "twice" if len(group) == 2 else f"{len(group)} times"
    label = quoted(first.label, "the same control")
    reached = "both" if len(requests) == 2 else f"all {len(requests)}"
    sentence = f"Clicked {label} {times} {gap} ms apart; {reached} {method} {path} were sent"
    failed = [r for r in requests if r.failed]
    if failed:
        worst = failed[0]
        position = ["first", "second", "third"][min(requests.index(worst), 2)]
        outcome = "a network error" if worst.status == 0 else str(worst.status)
        trace = f" (trace {short_trace(worst.trace_id)})" if worst.trace_id else ""
        sentence += f"; the {position} returned {outcome}{trace}"
    elif len({r.status for r in requests}) > 1:
        sentence += (
            "; they were answered differently (" + ", ".join(str(r.status) for r in requests) + ")"
        )
    else:
        sentence += f"; each was answered {requests[0].status}: the action may have run twice"
    return Detected(
        kind="double_submit",
        ts=first.ts,
        duration=max(r.end for r in requests) - first.ts,
        url=first.url,
        selector=first.selector,
        element_text=first.label,
        sentence=sentence + ".",
        severity=HIGH if failed else MEDIUM,
        evidence={
            "activations": [{"offset_ms": a.ts - t.start, "kind": a.kind} for a in group],
            "gap_ms": gap,
            "requests": [request_evidence(r, t.start) for r in requests],
        },
        trace_ids=[r.trace_id for r in requests if r.trace_id],
    )
