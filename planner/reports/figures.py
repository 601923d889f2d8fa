"""Figures derived from a plan for the reports: scope per milestone, chart geometry."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass

from planner.plan import AssessedCapability, Plan, PlannedItem, PlannedMilestone


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


@dataclass(frozen=True)
class AreaGap:
    """What one area lacks: the assessed level, the target, and the work in the plan."""

    area: str
    title: str
    level: int
    target: int
    missing: int
    partial: int
    person_days: float
    cost: float
    held_by: tuple[AssessedCapability, ...] = ()
    """The capabilities of the next level not yet done: why the level is not higher."""


def area_gaps(plan: Plan) -> tuple[AreaGap, ...]:
    """The gap summarised per area, from the assessment recorded in the plan and its items."""
    known = {a.area: a for a in plan.assessment}
    areas = [*plan.areas, *sorted({i.area for i in plan.items} - set(plan.areas))]
    rows = []
    for area in areas:
        items = [i for i in plan.items if i.area == area]
        assessed = known.get(area)
        if assessed is None and not items:
            continue
        rows.append(
            AreaGap(
                area=area,
                title=plan.areas.get(area, area),
                level=assessed.level if assessed else plan.current_level,
                target=assessed.target if assessed else plan.target_level,
                missing=sum(1 for i in items if i.status == "missing"),
                partial=sum(1 for i in items if i.status == "partial"),
                person_days=round(sum(i.person_days for i in items), 2),
                cost=round(sum(i.cost for i in items), 2),
                held_by=tuple(
                    c
                    for c in (assessed.capabilities if assessed else ())
                    if c.level == assessed.level + 1 and c.status != "done"  # type: ignore[union-attr]
                ),
            )
        )
    return tuple(rows)


def duration_weeks(plan: Plan) -> float:
    return round(((plan.end - plan.start).days + 1) / 7, 1)
