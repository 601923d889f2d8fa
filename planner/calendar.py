"""The one working-day calendar: the solver counts working days from the team's start, and
the reports' time axis and the re-plan rules count them the same way.

(The independent plan checker, :mod:`planner.scheduling.check_plan`, derives working days on
its own, on purpose: a checker that shared this code could not catch its mistakes.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Monday-to-Friday working days from ``start``; day 0 is the first working day."""

    start: date
    sprint_weeks: int = 2

    @property
    def origin(self) -> date:
        """The first working day on or after ``start``."""
        day = self.start
        while day.weekday() >= DAYS_PER_WEEK:
            day += timedelta(days=1)
        return day

    def to_date(self, index: int) -> date:
        """The date of working day ``index`` (may be negative: before the start)."""
        weeks, rest = divmod(index, DAYS_PER_WEEK)
        origin = self.origin
        day = origin + timedelta(weeks=weeks)
        for _ in range(rest):
            day += timedelta(days=1)
            while day.weekday() >= DAYS_PER_WEEK:
                day += timedelta(days=1)
        return day

    def to_index(self, day: date) -> int:
        """The working-day index of ``day``; a weekend day counts as the next Monday."""
        while day.weekday() >= DAYS_PER_WEEK:
            day += timedelta(days=1)
        origin = self.origin
        weeks, rest = divmod((day - origin).days, 7)
        # origin and day are both working days; count working days between them
        index = weeks * DAYS_PER_WEEK
        walk = origin + timedelta(weeks=weeks)
        while walk < day:
            walk += timedelta(days=1)
            if walk.weekday() < DAYS_PER_WEEK:
                index += 1
        del rest
        return index

    def end_date(self, end_index: int) -> date:
        """The last working day of an activity that ends (exclusively) at ``end_index``."""
        return self.to_date(end_index - 1)

    def finish_by_index(self, day: date) -> int:
        """The exclusive end index for work that must be finished by the end of ``day``."""
        index = self.to_index(day)
        return index + 1 if day.weekday() < DAYS_PER_WEEK else index

    @property
    def sprint_days(self) -> int:
        return self.sprint_weeks * DAYS_PER_WEEK

    def sprint_of(self, index: int) -> int:
        """1-based sprint number of working day ``index``."""
        return index // self.sprint_days + 1

    def sprint_start(self, sprint: int) -> int:
        return (sprint - 1) * self.sprint_days
