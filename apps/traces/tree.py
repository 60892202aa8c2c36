"""A trace's spans as a waterfall: depth-first, children by start time, each with its depth."""

from dataclasses import dataclass

from .models import Span


@dataclass
class TreeSpan:
    span: Span
    depth: int
    offset_ms: float  # from the trace's first span


def span_tree(spans: list[Span]) -> list[TreeSpan]:
    """Spans ordered for a waterfall. A span whose parent is not stored (the parent lives in the
    browser or in a service that does not export to us) is shown as a root."""
    if not spans:
        return []
    trace_start = min(s.start_time_unix_nano for s in spans)
    by_id = {s.span_id: s for s in spans}
    children: dict[str, list[Span]] = {}
    roots: list[Span] = []
    for span in spans:
        parent = span.parent_span_id
        if parent and parent in by_id and parent != span.span_id:
            children.setdefault(parent, []).append(span)
        else:
            roots.append(span)
    ordered: list[TreeSpan] = []
    seen: set[int] = set()

    def order_key(s: Span):
        return (s.start_time_unix_nano, s.pk or 0)

    stack = [(root, 0) for root in sorted(roots, key=order_key, reverse=True)]
    while stack:
        span, depth = stack.pop()
        if id(span) in seen:  # duplicate span ids can form cycles; show each row once
            continue
        seen.add(id(span))
        ordered.append(TreeSpan(span, depth, (span.start_time_unix_nano - trace_start) / 1e6))
        for child in sorted(children.get(span.span_id, ()), key=order_key, reverse=True):
            stack.append((child, depth + 1))
    # Spans only reachable through a cycle (a → b → a) have no root; append them flat.
    for span in spans:
        if id(span) not in seen:
            ordered.append(TreeSpan(span, 0, (span.start_time_unix_nano - trace_start) / 1e6))
    return ordered
