"""What every chart of the reports shares: the page's width, text measured generously,
labels placed without overlap, and the working-day time axis with its month ticks.

Text widths are estimated (:func:`text_width`) for an 11 px sans-serif font, so that a test
can check from the numbers alone that every label lies inside its chart's ``viewBox``.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planner.calendar import WorkCalendar
from planner.plan import Plan

WIDTH = 1040.0
LABEL_WIDTH = 300.0
"""The names' column; the time axis starts after it."""
CHART_LEFT = LABEL_WIDTH + 10
CHART_RIGHT = WIDTH - 16
FONT = 11.0
LINE = 13.0
"""Height of one line of text."""
FAR = 1.25
"""A deadline later than this times the plan's length is marked at the chart's right edge
(with an arrow) rather than squeezing the plan into part of the chart."""


# --- text ---------------------------------------------------------------------------------


def char_width(char: str, size: float = FONT) -> float:
    """A generous estimate of one character's advance in a sans-serif font."""
    if unicodedata.east_asian_width(char) in {"W", "F"}:
        return size
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Cf"}:
        return 0.0
    if char in "iljI.,:;'|!()[]{} ":
        return 0.34 * size
    if char in "MWmw@%&◆✓▶✕":
        return 0.95 * size
    if char.isupper() or char.isdigit():
        return 0.68 * size
    return 0.6 * size


def text_width(text: str, size: float = FONT) -> float:
    return round(sum(char_width(c, size) for c in text), 2)


def wrap(text: str, width: float, size: float = FONT) -> tuple[str, ...]:
    """``text`` in lines no wider than ``width``; a word too long is cut across lines."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if text_width(current + char, size) > width and current:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return tuple(lines)


@dataclass(frozen=True)
class Label:
    """A text on the chart: where it is anchored and the box it takes."""

    text: str
    x: float
    y: float
    """The baseline."""
    anchor: str = "start"
    size: float = FONT

    @property
    def width(self) -> float:
        return text_width(self.text, self.size)

    @property
    def left(self) -> float:
        shift = {"start": 0.0, "middle": self.width / 2, "end": self.width}[self.anchor]
        return round(self.x - shift, 2)

    @property
    def right(self) -> float:
        return round(self.left + self.width, 2)

    @property
    def top(self) -> float:
        return round(self.y - self.size, 2)

    @property
    def bottom(self) -> float:
        return round(self.y + 0.3 * self.size, 2)


def place_in_rows(
    wanted: Sequence[tuple[float, str]], y_of: Callable[[int], float], gap: float = 8.0
) -> list[Label]:
    """Labels at ``x`` on the first row where they overlap nothing (placed from left to
    right, returned in the order asked); each is centred on its x, or ends or starts there
    near the chart's edges."""
    ends: list[float] = []
    placed: dict[int, Label] = {}
    for n in sorted(range(len(wanted)), key=lambda n: wanted[n][0]):
        x, text = wanted[n]
        width = text_width(text)
        if x + width / 2 > CHART_RIGHT:
            anchor, left = "end", x - width
        elif x - width / 2 < CHART_LEFT:
            anchor, left = "start", x
        else:
            anchor, left = "middle", x - width / 2
        row = next((r for r, end in enumerate(ends) if left > end + gap), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = left + width
        placed[n] = Label(text, x, y_of(row), anchor)
    return [placed[n] for n in range(len(wanted))]


# --- the time axis ------------------------------------------------------------------------


def working_days(plan: Plan) -> Callable[[_dt.date], int]:
    """A date's working day on the plan's axis: the planner's one working-day calendar
    (a weekend day counts as the next Monday)."""
    return WorkCalendar(plan.start, plan.sprint_weeks).to_index


@dataclass(frozen=True)
class Axis:
    """Working days 0..days mapped onto [CHART_LEFT, CHART_RIGHT]."""

    days: int
    day_of: Callable[[_dt.date], int] = field(compare=False)

    @property
    def scale(self) -> float:
        return (CHART_RIGHT - CHART_LEFT) / self.days

    def x(self, day: float) -> float:
        return round(CHART_LEFT + min(max(day, 0), self.days) * self.scale, 2)

    def at(self, when: _dt.date) -> float:
        return self.x(self.day_of(when))


def axis_of(plan: Plan, previous: Plan | None = None) -> Axis:
    """The axis that holds both plans, the milestones and the deadline."""
    day_of = working_days(plan)
    ends = [1, *(i.end_day for i in plan.items), *(m.day for m in plan.milestones)]
    if previous is not None:
        ends += [i.end_day for i in previous.items]
    if plan.replanned_on is not None:
        ends.append(day_of(plan.replanned_on))
    ends += [day_of(load.start) for load in plan.sprints]
    if plan.deadline is not None and day_of(plan.deadline) + 1 <= FAR * max(ends):
        ends.append(day_of(plan.deadline) + 1)
    return Axis(max(ends), day_of)


@dataclass(frozen=True)
class Tick:
    """The first of a month on the time axis."""

    x: float
    label: Label


def month_ticks(plan: Plan, axis: Axis, bottom: float) -> tuple[Tick, ...]:
    """The first of each month on the working-day axis; labels thinned to fit."""
    ticks: list[Tick] = []
    month = _dt.date(plan.start.year, plan.start.month, 1)
    if month < plan.start:
        month = next_month(month)
    last_right = float("-inf")
    first = True
    while (day := axis.day_of(month)) <= axis.days:
        x = axis.x(day)
        text = month.strftime("%b %Y" if month.month == 1 or first else "%b")
        label = Label(text, x, round(bottom + LINE + 2, 2), "middle")
        if label.right > CHART_RIGHT:
            label = Label(text, x, label.y, "end")
        if label.left > last_right + 4:
            ticks.append(Tick(x, label))
            last_right = label.right
            first = False
        else:
            ticks.append(Tick(x, Label("", x, label.y, "middle")))
        month = next_month(month)
    return tuple(ticks)


def next_month(month: _dt.date) -> _dt.date:
    return _dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
