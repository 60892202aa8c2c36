"""Geometry of the server-rendered usage chart. Each day of the month is a bar of the running
total through that day, split into what came before (light) and that day's usage (solid), under
the quota's dashed line and the 80 % notice line; a dotted line projects the month at its pace.
"""

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 16, 28


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    base_y: float
    base_height: float
    day_y: float
    day_height: float
    day: date
    value: int
    total: int
    future: bool


def _nice_ceiling(value: float) -> int:
    """The smallest 4 × (a round step) above ``value``: four gridlines with round labels."""
    if value <= 0:
        return 4
    quarter = value / 4
    magnitude = 10 ** (len(str(int(quarter))) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if magnitude == 1 and step != int(step):
            continue  # counts are whole: no 2.5 on the axis
        if step * magnitude >= quarter:
            return int(4 * step * magnitude)
    return int(40 * magnitude)


def short_number(value: int) -> str:
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if value >= size:
            text = f"{value / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return str(value)


def usage_chart(*, days: list[tuple[date, int]], quota: int | None, today: date) -> dict:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    running, elapsed, totals = 0, 0, []
    for day, value in days:
        if day <= today:
            running += value
            elapsed += 1
        totals.append(running)
    projected = None
    if 0 < elapsed < len(days) and running:
        projected = round(running / elapsed * len(days))
    ceiling = max(running, quota or 0, min(projected or 0, 2 * (quota or running)))
    y_max = _nice_ceiling(ceiling * 1.08)
    bottom = TOP + plot_h

    def y_of(value: float) -> float:
        return round(bottom - min(value, y_max) / y_max * plot_h, 2)

    bars = []
    for index, ((day, value), total) in enumerate(zip(days, totals, strict=True)):
        before = total - value
        future = day > today
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.16, 2),
                width=round(slot * 0.68, 2),
                base_y=y_of(before),
                base_height=round(bottom - y_of(before), 2) if not future else 0,
                day_y=y_of(total),
                day_height=round(y_of(before) - y_of(total), 2) if not future else 0,
                day=day,
                value=value,
                total=total,
                future=future,
            )
        )
    projection = None
    if projected is not None:
        start_x = LEFT + (elapsed - 0.5) * slot
        projection = {
            "x1": round(start_x, 2),
            "y1": y_of(running),
            "x2": round(LEFT + (len(days) - 0.5) * slot, 2),
            "y2": y_of(projected),
            "value": projected,
        }
    ticks = [
        {"y": y_of(y_max * step / 4), "label": short_number(int(y_max * step / 4))}
        for step in range(5)
    ]
    labels = [
        {"x": round(LEFT + (index + 0.5) * slot, 2), "text": str(day.day)}
        for index, (day, _) in enumerate(days)
        if index % 5 == 0 or index == len(days) - 1
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": bottom,
        "bars": bars,
        "projection": projection,
        "ticks": ticks,
        "labels": labels,
        "quota": quota,
        "quota_y": y_of(quota) if quota else None,
        "notice_y": y_of(quota * 0.8) if quota else None,
        "total": running,
    }
