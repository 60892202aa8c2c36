"""Slow page: the main thread blocked long enough for a person to notice, on one page. Blocking
comes from Long Tasks (or Long Animation Frames) where the browser reports them, and from
requestAnimationFrame gaps the recorder measures where it does not (Safari, Firefox); the web
vitals the recorder sent for that page (INP, LCP, CLS) are part of the evidence."""

from urllib.parse import urlsplit

from .findings import HIGH, MEDIUM, Detected, seconds
from .timeline import Timeline

# Long-task time past 50 ms is blocking (Total Blocking Time's definition).
BLOCKING_PAST_MS = 50
WINDOW_MS = 10_000
BLOCKED_MS = 400  # blocking in one window that makes a page slow
SEVERE_BLOCKED_MS = 2_000
POOR_INP_MS = 500


def _path(url: str) -> str:
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return url[:200]


def detect(t: Timeline) -> list[Detected]:
    found = []
    by_url: dict[str, list] = {}
    for task in t.long_tasks:
        by_url.setdefault(task.url, []).append(task)
    urls = list(by_url) + [u for u in t.vitals if u not in by_url]
    for url in urls:
        tasks = sorted(by_url.get(url, []), key=lambda task: task.ts)
        worst, worst_start, lo, blocked = 0, None, 0, 0
        for hi, task in enumerate(tasks):
            blocked += max(0, task.duration - BLOCKING_PAST_MS)
            while task.ts - tasks[lo].ts > WINDOW_MS:
                blocked -= max(0, tasks[lo].duration - BLOCKING_PAST_MS)
                lo += 1
            if blocked > worst:
                # The moment is the first task of the worst window that blocked about as long
                # as its longest (jank's first stutter, or the one long freeze): what the
                # person felt, not a short task that happened to open the window earlier.
                window = tasks[lo : hi + 1]
                longest = max(task.duration for task in window)
                felt = next(task for task in window if task.duration * 2 >= longest)
                worst, worst_start = blocked, felt.ts
        vitals = t.vitals.get(url, {})
        inp = vitals.get("INP")
        slow_inp = inp is not None and inp >= POOR_INP_MS
        if worst < BLOCKED_MS and not slow_inp:
            continue
        total = sum(max(0, task.duration - BLOCKING_PAST_MS) for task in tasks)
        longest = max((task.duration for task in tasks), default=0)
        sources = sorted({task.source for task in tasks})
        parts = []
        if tasks:
            parts.append(
                f"the main thread was blocked for {seconds(total)} ({len(tasks)} long "
                f"task{'s' if len(tasks) != 1 else ''}, the longest {seconds(longest)})"
            )
        if inp is not None:
            parts.append(f"INP {round(inp)} ms")
        sentence = f"On {_path(url)}, " + "; ".join(parts) + "."
        sentence = sentence[0].upper() + sentence[1:]
        start = worst_start if worst_start is not None else (tasks[0].ts if tasks else t.start)
        found.append(
            Detected(
                kind="slow_page",
                ts=start,
                duration=sum(task.duration for task in tasks) or int(inp or 0),
                url=url,
                selector="",
                element_text="",
                sentence=sentence,
                severity=HIGH if worst >= SEVERE_BLOCKED_MS else MEDIUM,
                evidence={
                    "blocking_ms": total,
                    "worst_window_blocking_ms": worst,
                    "long_tasks": len(tasks),
                    "longest_ms": longest,
                    "measured_by": sources,
                    "vitals": {k: vitals[k] for k in sorted(vitals)},
                },
            )
        )
    return found
