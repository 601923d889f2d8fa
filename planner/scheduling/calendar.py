"""The working-day calendar lives in the core (:mod:`planner.calendar`), so that reports
draw their axis with the very rule the solver counts days with; this name stays for
existing imports."""

from __future__ import annotations

from planner.calendar import DAYS_PER_WEEK, WorkCalendar

__all__ = ["DAYS_PER_WEEK", "WorkCalendar"]
