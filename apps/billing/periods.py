"""Billing periods are calendar months in UTC: quotas reset and invoices close on the 1st."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive: the first day of the next period

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def start_datetime(self) -> datetime:
        return datetime(self.start.year, self.start.month, 1, tzinfo=UTC)

    def end_datetime(self) -> datetime:
        return datetime(self.end.year, self.end.month, 1, tzinfo=UTC)

    def previous(self) -> "Period":
        return period_containing(self.start - timedelta(days=1))

    def next(self) -> "Period":
        return period_containing(self.end)


def utc_today() -> date:
    return datetime.now(UTC).date()


def period_containing(day: date) -> Period:
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return Period(start, end)


def current_period() -> Period:
    return period_containing(utc_today())


def parse_period(value: str) -> Period:
    """``2025-05`` → May 2025; raises ValueError for anything else."""
    parsed = datetime.strptime(value.strip(), "%Y-%m")
    return period_containing(parsed.date())


def seconds_until_period_end(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    end = period_containing(now.date()).end_datetime()
    return max(1, int((end - now).total_seconds()))
