"""Figures derived from a plan for the reports: scope per milestone, chart geometry."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.calendar import WorkCalendar
from planner.plan import Plan, PlannedItem, PlannedMilestone


@dataclass(frozen=True)
class Scope:
    """Effort and cost of a group of items (one milestone, or the whole plan)."""

    title: str
    date: _dt.date | None
    items: tuple[PlannedItem, ...]
    person_days: dict[str, float]
    """Person-days per role, in the plan's role order; roles without work are left out."""
    cost: dict[str, float]
    total_person_days: float
    total_cost: float
    start: _dt.date | None
    end: _dt.date | None


@dataclass(frozen=True)
class Stage:
    """One overall milestone (or the items no milestone needs) with what it delivers."""

    milestone: PlannedMilestone | None
    scope: Scope


def role_person_days(item: PlannedItem) -> dict[str, float]:
    """The item's person-days split over its roles by head count."""
    heads = sum(item.people.values())
    if not heads:
        return {}
    return {role: item.person_days * n / heads for role, n in item.people.items() if n}


def scope_of(
    plan: Plan, title: str, items: tuple[PlannedItem, ...], when: _dt.date | None = None
) -> Scope:
    days: dict[str, float] = {}
    for item in items:
        for role, value in role_person_days(item).items():
            days[role] = days.get(role, 0.0) + value
    order = [*plan.roles, *sorted(set(days) - set(plan.roles))]
    person_days = {r: round(days[r], 2) for r in order if days.get(r)}
    cost = {r: round(d * plan.day_rates.get(r, 0.0), 2) for r, d in person_days.items()}
    return Scope(
        title=title,
        date=when,
        items=items,
        person_days=person_days,
        cost=cost,
        total_person_days=round(sum(i.person_days for i in items), 2),
        total_cost=round(sum(i.cost for i in items), 2),
        start=min((i.start for i in items), default=None),
        end=max((i.end for i in items), default=None),
    )


def stages(plan: Plan) -> tuple[Stage, ...]:
    """Overall milestones in date order, each with the items it is the first to need."""
    ordered = sorted(plan.overall_milestones, key=lambda m: (m.date, m.level, m.id))
    known = {m.id for m in ordered}
    result = []
    for milestone in ordered:
        items = _by_start(i for i in plan.items if i.milestone == milestone.id)
        result.append(Stage(milestone, scope_of(plan, milestone.title, items, milestone.date)))
    rest = _by_start(i for i in plan.items if i.milestone not in known)
    if rest:
        result.append(Stage(None, scope_of(plan, "Not needed by a level milestone", rest)))
    return tuple(result)


def _by_start(items: Iterable[PlannedItem]) -> tuple[PlannedItem, ...]:
    return tuple(sorted(items, key=lambda i: (i.start_day, i.end_day, i.id)))


# Chart geometry (SVG user units). Everything is computed here so the template only draws.
LABEL_WIDTH = 300
CHART_WIDTH = 720
RIGHT = 20
ROW_HEIGHT = 22
LABEL_ROW = 14
TOP = 2 * LABEL_ROW + 14
BOTTOM = 30
MILESTONE_LABEL_WIDTH = 110
"""Room one milestone label ("L2 · 2027-06-04") needs at 11px."""
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948")


@dataclass(frozen=True)
class Span:
    """A stretch of the time axis: where a bar starts and how wide it is."""

    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    item: PlannedItem
    x: float
    y: float
    width: float
    colour: str
    previous: Span | None = None
    """Where the previous plan had it (drawn faintly behind), when a previous plan is given."""
    removed: bool = False
    """In the previous plan only: ``item`` is the previous plan's, drawn faintly."""
    started: Span | None = None
    """For work in progress: from when it first started to where it continues."""


@dataclass(frozen=True)
class MilestoneLine:
    milestone: PlannedMilestone
    x: float
    label_y: float
    """Labels of milestones close together go on alternate rows so they do not overlap."""
    anchor: str
    """SVG text-anchor: labels near the chart's right edge end at their line."""


@dataclass(frozen=True)
class Tick:
    """The first of a month on the time axis."""

    x: float
    label: str


@dataclass(frozen=True)
class Gantt:
    width: float
    height: float
    bars: tuple[Bar, ...]
    lines: tuple[MilestoneLine, ...]
    legend: tuple[tuple[str, str], ...]
    """(area title, colour)"""
    top: float
    """Where the rows start; milestone labels and lines are above."""
    bottom: float
    """Where the rows end; the month axis is below."""
    ticks: tuple[Tick, ...] = ()
    today: float | None = None
    """Where the re-plan date ("today") is, for a plan made by re-planning."""


def area_colours(plan: Plan) -> dict[str, str]:
    areas = [*plan.areas, *sorted({i.area for i in plan.items} - set(plan.areas))]
    return {a: PALETTE[n % len(PALETTE)] for n, a in enumerate(areas)}


def gantt(plan: Plan, previous: Plan | None = None) -> Gantt:
    """Bars, milestone lines and month ticks; with ``previous`` (the plan this one replaced,
    on the same calendar) each bar also has where it was, and capabilities only in the
    previous plan get a row of their own after the others."""
    before = {i.id: i for i in previous.items} if previous is not None else {}
    gone = tuple(i for i in before.values() if i.id not in {i.id for i in plan.items})
    ends = [
        1,
        *(i.end_day for i in plan.items),
        *(m.day for m in plan.milestones),
        *(i.end_day for i in before.values()),
    ]
    day_of = _working_days(plan)
    if plan.replanned_on is not None:
        ends.append(day_of(plan.replanned_on))
    days = max(ends)
    scale = CHART_WIDTH / days
    colours = area_colours(plan)
    for old in gone:
        colours.setdefault(old.area, PALETTE[len(colours) % len(PALETTE)])

    def span(start_day: int, end_day: int) -> Span:
        return Span(
            round(LABEL_WIDTH + start_day * scale, 2),
            round(max(2.0, (end_day - start_day) * scale), 2),
        )

    bars = []
    for n, item in enumerate((*plan.items, *gone)):
        place = span(item.start_day, item.end_day)
        was = before.get(item.id)
        started = None
        if item.state == "in-progress" and item.started is not None:
            first = min(day_of(item.started), item.start_day)
            started = span(first, item.start_day) if first < item.start_day else None
        bars.append(
            Bar(
                item=item,
                x=place.x,
                y=TOP + n * ROW_HEIGHT,
                width=place.width,
                colour=colours[item.area],
                previous=span(was.start_day, was.end_day) if was is not None else None,
                removed=n >= len(plan.items),
                started=started,
            )
        )
    bottom = TOP + len(bars) * ROW_HEIGHT
    legend = tuple((plan.areas.get(a, a), c) for a, c in colours.items())
    today = None
    if plan.replanned_on is not None:
        today = round(LABEL_WIDTH + day_of(plan.replanned_on) * scale, 2)
    return Gantt(
        width=LABEL_WIDTH + CHART_WIDTH + RIGHT,
        height=bottom + BOTTOM,
        bars=tuple(bars),
        lines=_milestone_lines(plan, scale),
        legend=legend,
        top=TOP,
        bottom=bottom,
        ticks=_month_ticks(plan, scale, days),
        today=today,
    )


def _milestone_lines(plan: Plan, scale: float) -> tuple[MilestoneLine, ...]:
    lines: list[MilestoneLine] = []
    right = LABEL_WIDTH + CHART_WIDTH + RIGHT
    last_end = {0: float("-inf"), 1: float("-inf")}  # right end of the last label per row
    for m in sorted(plan.overall_milestones, key=lambda m: (m.day, m.level, m.id)):
        x = round(LABEL_WIDTH + m.day * scale, 2)
        half = MILESTONE_LABEL_WIDTH / 2
        if x + half > right:
            anchor, left, end = "end", x - 2 * half, x
        elif x - half < LABEL_WIDTH:
            anchor, left, end = "start", x, x + 2 * half
        else:
            anchor, left, end = "middle", x - half, x + half
        row = 0 if left > last_end[0] else 1 if left > last_end[1] else 0
        last_end[row] = end
        lines.append(MilestoneLine(m, x, LABEL_ROW * (row + 1) - 2, anchor))
    return tuple(lines)


def _working_days(plan: Plan) -> Callable[[_dt.date], int]:
    """A date's working day on the plan's axis: the planner's one working-day calendar
    (a weekend day counts as the next Monday)."""
    return WorkCalendar(plan.start, plan.sprint_weeks).to_index


def _month_ticks(plan: Plan, scale: float, days: int) -> tuple[Tick, ...]:
    """The first of each month on the working-day axis."""
    day_of = _working_days(plan)
    ticks: list[Tick] = []
    month = _dt.date(plan.start.year, plan.start.month, 1)
    if month < plan.start:
        month = _next_month(month)
    while (day := day_of(month)) <= days:
        label = month.strftime("%b %Y" if month.month == 1 or not ticks else "%b")
        ticks.append(Tick(round(LABEL_WIDTH + day * scale, 2), label))
        month = _next_month(month)
    return tuple(ticks)


def _next_month(month: _dt.date) -> _dt.date:
    return _dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


LOAD_HEIGHT = 60
LOAD_TOP = 8
LOAD_LEFT = 160
"""Room for the role's name and scale left of the bars."""


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
class LoadChart:
    """People busy against people available in one role, sprint by sprint."""

    role: str
    title: str
    width: float
    height: float
    bars: tuple[LoadBar, ...]
    peak: float


def load_charts(plan: Plan) -> tuple[LoadChart, ...]:
    roles = [*plan.roles]
    for load in plan.sprints:
        roles += [r for r in (*load.busy, *load.available) if r not in roles]
    step = max(6.0, min(40.0, CHART_WIDTH / max(1, len(plan.sprints))))
    charts = []
    for role in roles:
        peak = max(
            [1.0] + [max(s.busy.get(role, 0.0), s.available.get(role, 0.0)) for s in plan.sprints]
        )
        if not any(s.busy.get(role) or s.available.get(role) for s in plan.sprints):
            continue
        bars = []
        for n, load in enumerate(plan.sprints):
            busy, available = load.busy.get(role, 0.0), load.available.get(role, 0.0)
            busy_h = round(LOAD_HEIGHT * busy / peak, 2)
            available_h = round(LOAD_HEIGHT * available / peak, 2)
            bars.append(
                LoadBar(
                    sprint=load.sprint,
                    x=round(LOAD_LEFT + n * step, 2),
                    width=round(step * 0.8, 2),
                    busy=busy,
                    available=available,
                    busy_y=round(LOAD_TOP + LOAD_HEIGHT - busy_h, 2),
                    busy_height=busy_h,
                    available_y=round(LOAD_TOP + LOAD_HEIGHT - available_h, 2),
                    available_height=available_h,
                    over=busy > available + 1e-9,
                )
            )
        charts.append(
            LoadChart(
                role=role,
                title=plan.roles.get(role, role),
                width=round(LOAD_LEFT + len(plan.sprints) * step + 10, 2),
                height=LOAD_TOP + LOAD_HEIGHT + 16,
                bars=tuple(bars),
                peak=peak,
            )
        )
    return tuple(charts)


def duration_weeks(plan: Plan) -> float:
    return round(((plan.end - plan.start).days + 1) / 7, 1)
