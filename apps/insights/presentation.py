"""The evidence of one finding as the insight page shows it: the requests with their answers and
trace ids, the message and how long it stayed, the blocking and the page's web vitals — what
the sentence says, in detail. Read-only shaping of what the detectors stored."""

from dataclasses import dataclass, field

VITALS = (("LCP", "ms"), ("INP", "ms"), ("CLS", ""))


@dataclass
class Evidence:
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    requests: list[dict] = field(default_factory=list)


def _ms(value) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{round(value)} ms"


def _at(offset) -> str:
    if not isinstance(offset, int | float):
        return ""
    seconds = int(offset // 1000)
    return f"{seconds // 60}:{seconds % 60:02d}.{int(offset % 1000):03d}"


def evidence_of(finding) -> Evidence:
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    shown = Evidence()
    facts = shown.facts
    if "message" in evidence:
        facts.append(("Message", f"“{evidence['message']}”"))
        facts.append(("On screen for", _ms(evidence.get("shown_ms"))))
        facts.append(("Where", "a live region" if evidence.get("live_region") else "the page"))
    if evidence.get("native_validation"):
        facts.append(("Refused by", "the browser's own validation"))
        facts.append(("Invalid fields", ", ".join(evidence.get("invalid_fields") or []) or "—"))
    if "blocking_ms" in evidence:
        facts.append(("Main thread blocked", _ms(evidence.get("blocking_ms"))))
        facts.append(("Long tasks", f"{evidence.get('long_tasks', 0)}"))
        facts.append(("Longest", _ms(evidence.get("longest_ms"))))
        measured = evidence.get("measured_by") or []
        if measured:
            facts.append(("Measured by", ", ".join(str(m) for m in measured)))
        vitals = evidence.get("vitals") or {}
        for name, unit in VITALS:
            value = vitals.get(name)
            if isinstance(value, int | float):
                facts.append((name, _ms(value) if unit else f"{value:.3f}"))
    if "clicks" in evidence and "blocking_ms" not in evidence:
        facts.append(("Clicks", str(evidence["clicks"])))
    for error in evidence.get("errors") or []:
        if isinstance(error, dict):
            facts.append((f"Error at {_at(error.get('offset_ms'))}", str(error.get("message"))))
    backend_errors = set(evidence.get("backend_errors") or [])
    for request in evidence.get("requests") or []:
        if not isinstance(request, dict):
            continue
        trace = request.get("trace_id") or ""
        shown.requests.append(
            {
                "at": _at(request.get("offset_ms")),
                "method": request.get("method") or "",
                "url": request.get("url") or "",
                "status": request.get("status"),
                "failed": isinstance(request.get("status"), int)
                and (request["status"] >= 400 or request["status"] == 0),
                "duration": _ms(request.get("duration_ms")),
                "trace_id": trace,
                "trace_errored": trace in backend_errors,
            }
        )
    return shown
