"""The load chart: people busy against people available per role (or named person), sprint
by sprint, on the timeline's time axis and one scale for all rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.plan import Plan
from planner.reports.chart_geometry import (
    CHART_LEFT,
    CHART_RIGHT,
    FONT,
    LINE,
    WIDTH,
    Label,
    axis_of,
    month_ticks,
)

LOAD_ROW = 46.0
LOAD_GAP = 14.0


@dataclass(frozen=True)
class LoadBar:
    sprint: int
    x: float
    width: float
    busy: float
    available: float
    busy_y: float
    busy_height: float
    available_y: float
    available_height: float
    over: bool


@dataclass(frozen=True)
class LoadRow:
    """People busy against people available in one role, sprint by sprint."""

    role: str
    title: str
    top: float
    label: Label
    bars: tuple[LoadBar, ...]


@dataclass(frozen=True)
class LoadChart:
    """Every role's load on the Gantt's time axis, all on one scale (``peak`` people)."""

    width: float
    height: float
    peak: float
    rows: tuple[LoadRow, ...]
    ticks: tuple[float, ...]
    scale_label: Label
    left: float = CHART_LEFT
    right: float = CHART_RIGHT

    def labels(self) -> Iterable[Label]:
        yield self.scale_label
        for row in self.rows:
            yield row.label


def load_chart(plan: Plan, previous: Plan | None = None) -> LoadChart:
    axis = axis_of(plan, previous)
    roles = [*plan.roles]
    for load in plan.sprints:
        roles += [r for r in (*load.busy, *load.available) if r not in roles]
    roles = [r for r in roles if any(s.busy.get(r) or s.available.get(r) for s in plan.sprints)]
    peak = max(
        [1.0]
        + [max(s.busy.get(r, 0.0), s.available.get(r, 0.0)) for s in plan.sprints for r in roles]
    )
    sprint_days = plan.sprint_weeks * 5
    rows = []
    for n, role in enumerate(roles):
        top = 8 + n * (LOAD_ROW + LOAD_GAP)
        bars = []
        for load in plan.sprints:
            first = axis.day_of(load.start)
            x, end = axis.x(first), axis.x(first + sprint_days)
            busy, available = load.busy.get(role, 0.0), load.available.get(role, 0.0)
            busy_h = round(LOAD_ROW * busy / peak, 2)
            available_h = round(LOAD_ROW * available / peak, 2)
            bars.append(
                LoadBar(
                    sprint=load.sprint,
                    x=x,
                    width=round(max(1.0, (end - x) * 0.86), 2),
                    busy=busy,
                    available=available,
                    busy_y=round(top + LOAD_ROW - busy_h, 2),
                    busy_height=busy_h,
                    available_y=round(top + LOAD_ROW - available_h, 2),
                    available_height=available_h,
                    over=busy > available + 1e-9,
                )
            )
        title = plan.roles.get(role, role)
        rows.append(LoadRow(role, title, top, Label(title, 4, top + LOAD_ROW / 2 + 4), tuple(bars)))
    height = 8 + len(rows) * (LOAD_ROW + LOAD_GAP) + LINE
    text = f"one scale for every role: 0 to {peak:g} people"
    return LoadChart(
        width=WIDTH,
        height=round(height, 2),
        peak=peak,
        rows=tuple(rows),
        ticks=tuple(t.x for t in month_ticks(plan, axis, 0.0)),
        scale_label=Label(text, CHART_RIGHT, round(height - 3, 2), "end", FONT - 1),
    )
