"""What a detector reports: one finding, with its evidence and a sentence a person can read."""

from dataclasses import dataclass, field

LOW, MEDIUM, HIGH = 1, 2, 3


@dataclass
class Detected:
    kind: str
    ts: int
    duration: int
    url: str
    selector: str
    element_text: str
    sentence: str
    severity: int = MEDIUM
    evidence: dict = field(default_factory=dict)
    # Trace ids whose backend outcome can make this finding more severe.
    trace_ids: list[str] = field(default_factory=list)


def quoted(label: str, fallback: str = "an element") -> str:
    return f"'{label[:60]}'" if label else fallback


def seconds(ms: int) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms} ms"


def short_trace(trace_id: str | None) -> str:
    return f"{trace_id[:4]}…" if trace_id else ""


def request_evidence(request, start: int) -> dict:
    return {
        "offset_ms": request.ts - start,
        "method": request.method,
        "url": request.url[:500],
        "status": request.status,
        "duration_ms": request.end - request.ts,
        "trace_id": request.trace_id,
    }
