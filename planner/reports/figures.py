"""Figures derived from a plan for the reports: scope per milestone, chart geometry."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

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
LABEL_WIDTH = 260
CHART_WIDTH = 720
ROW_HEIGHT = 22
TOP = 40
BOTTOM = 30
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948")


@dataclass(frozen=True)
class Bar:
    item: PlannedItem
    x: float
    y: float
    width: float
    colour: str


@dataclass(frozen=True)
class MilestoneLine:
    milestone: PlannedMilestone
    x: float


@dataclass(frozen=True)
class Gantt:
    width: float
    height: float
    bars: tuple[Bar, ...]
    lines: tuple[MilestoneLine, ...]
    legend: tuple[tuple[str, str], ...]
    """(area title, colour)"""
    bottom: float


def area_colours(plan: Plan) -> dict[str, str]:
    areas = [*plan.areas, *sorted({i.area for i in plan.items} - set(plan.areas))]
    return {a: PALETTE[n % len(PALETTE)] for n, a in enumerate(areas)}


def gantt(plan: Plan) -> Gantt:
    days = max([1, *(i.end_day for i in plan.items), *(m.day for m in plan.milestones)])
    scale = CHART_WIDTH / days
    colours = area_colours(plan)
    bars = tuple(
        Bar(
            item=item,
            x=round(LABEL_WIDTH + item.start_day * scale, 2),
            y=TOP + n * ROW_HEIGHT,
            width=round(max(2.0, (item.end_day - item.start_day) * scale), 2),
            colour=colours[item.area],
        )
        for n, item in enumerate(plan.items)
    )
    lines = tuple(
        MilestoneLine(m, round(LABEL_WIDTH + m.day * scale, 2))
        for m in sorted(plan.overall_milestones, key=lambda m: (m.day, m.id))
    )
    bottom = TOP + len(plan.items) * ROW_HEIGHT
    legend = tuple((plan.areas.get(a, a), c) for a, c in colours.items())
    return Gantt(
        width=LABEL_WIDTH + CHART_WIDTH + 20,
        height=bottom + BOTTOM,
        bars=bars,
        lines=lines,
        legend=legend,
        bottom=bottom,
    )
