"""Invisible error: a form control was activated, nothing was sent, and the only answer was a
message that went away by itself within seconds (a toast, a live-region alert) — or the
browser's own validation refused the form. Found from the page's structure (live regions,
inserted and removed elements, hidden attributes), never from class names or words."""

import bisect

from .findings import MEDIUM, Detected, quoted, seconds
from .timeline import MESSAGE_AFTER_ACTIVATION_MS, TRANSIENT_MS, Timeline

# A message that goes right after a click was dismissed by it (a menu closing), not on its own.
DISMISSED_BY_CLICK_MS = 400
INVALID_AFTER_MS = 1_000


def _sent_between(t: Timeline, lo: int, hi: int) -> bool:
    return any(lo <= r.ts <= hi for r in t.requests) or any(lo <= n <= hi for n in t.navigations)


def _dismissed(t: Timeline, gone: int) -> bool:
    # Activations are in time order: the first at or after gone - DISMISSED_BY_CLICK_MS.
    i = bisect.bisect_left(t.activations, gone - DISMISSED_BY_CLICK_MS, key=lambda a: a.ts)
    return i < len(t.activations) and t.activations[i].ts <= gone


def detect(t: Timeline) -> list[Detected]:
    found, used = [], set()
    for activation in t.activations:
        if not activation.form_control or activation.ts in used:
            continue
        invalid = [v for v in t.invalid if 0 <= v.ts - activation.ts <= INVALID_AFTER_MS]
        if invalid and not _sent_between(t, activation.ts, activation.ts + INVALID_AFTER_MS):
            fields = sorted({v.field for v in invalid})
            found.append(
                Detected(
                    kind="invisible_error",
                    ts=activation.ts,
                    duration=max(v.ts for v in invalid) - activation.ts,
                    url=activation.url,
                    selector=activation.selector,
                    element_text=activation.label,
                    sentence=(
                        f"Clicked {quoted(activation.label)}; the browser refused the form "
                        f"({len(fields)} invalid field{'s' if len(fields) > 1 else ''}: "
                        f"{', '.join(fields[:4])}) and nothing was sent."
                    ),
                    severity=MEDIUM,
                    evidence={
                        "native_validation": True,
                        "invalid_fields": fields[:20],
                        "activation_offset_ms": activation.ts - t.start,
                    },
                )
            )
            used.add(activation.ts)
            continue
        for message in t.messages:
            delay = message.shown - activation.ts
            if not 0 <= delay <= MESSAGE_AFTER_ACTIVATION_MS or message.gone is None:
                continue
            shown_for = message.gone - message.shown
            if shown_for > TRANSIENT_MS or _dismissed(t, message.gone):
                continue
            if _sent_between(t, activation.ts, message.gone):
                continue
            later = [a for a in t.activations if activation.ts < a.ts <= message.shown]
            if any(a.form_control for a in later):
                continue  # a later activation owns this message
            found.append(
                Detected(
                    kind="invisible_error",
                    ts=activation.ts,
                    duration=message.gone - activation.ts,
                    url=activation.url,
                    selector=activation.selector,
                    element_text=activation.label,
                    sentence=(
                        f"Clicked {quoted(activation.label)}; a message appeared for "
                        f"{seconds(shown_for)} — “{message.text[:120]}” — then vanished, "
                        "and no request was sent."
                    ),
                    severity=MEDIUM,
                    evidence={
                        "message": message.text[:300],
                        "message_selector": message.selector,
                        "live_region": message.live,
                        "shown_offset_ms": message.shown - t.start,
                        "shown_ms": shown_for,
                        "activation_offset_ms": activation.ts - t.start,
                    },
                )
            )
            used.add(activation.ts)
            break
    return found
