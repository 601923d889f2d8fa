"""Plans built by hand for forecasts whose answer is known without simulation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from planner.calendar import WorkCalendar
from planner.plan import (
    PLAN_SCHEMA_VERSION,
    CapacityStep,
    DurationRange,
    Plan,
    PlannedItem,
    PlannedMilestone,
    SolverReport,
)

START = date(2027, 1, 4)  # a Monday
CALENDAR = WorkCalendar(START)


@dataclass(frozen=True)
class Spec:
    id: str
    days: int
    """The plan's duration."""
    spread: tuple[float, float, float] | None
    start: int
    people: Mapping[str, int] = field(default_factory=lambda: {"dev": 1})
    requires: tuple[str, ...] = ()
    lags: Mapping[str, int] = field(default_factory=dict)


def synthetic_plan(
    specs: Sequence[Spec],
    capacity: Mapping[str, Sequence[tuple[int, int]]],
    *,
    deadline: date | None = None,
) -> Plan:
    """A one-level plan: every item in the target milestone (level 1)."""
    items = tuple(
        PlannedItem(
            id=s.id,
            title=s.id,
            area="core",
            level=1,
            status="missing",
            remaining=1.0,
            start=CALENDAR.to_date(s.start),
            end=CALENDAR.end_date(s.start + s.days),
            start_day=s.start,
            end_day=s.start + s.days,
            option=1,
            people=dict(s.people),
            weeks=s.days / 5,
            person_days=float(s.days),
            cost=0.0,
            sprint_start=1,
            sprint_end=1,
            milestone="level-1",
            why=("target",),
            why_then="",
            requires=s.requires,
            duration_range=DurationRange(*s.spread) if s.spread else None,
            lags=dict(s.lags),
        )
        for s in specs
    )
    end = max(i.end_day for i in items)
    return Plan(
        schema_version=PLAN_SCHEMA_VERSION,
        engagement="synthetic",
        client="",
        inputs_digest="",
        catalog="synthetic",
        catalog_version="1",
        planner_version="test",
        start=START,
        sprint_weeks=2,
        focus_factor=1.0,
        currency="EUR",
        current_level=0,
        target_level=1,
        deadline=deadline,
        budget=None,
        solver=SolverReport("optimal", {}, None, None, 1.0, 1),
        items=items,
        milestones=(
            PlannedMilestone(
                id="level-1",
                title="Level 1",
                level=1,
                area=None,
                date=CALENDAR.end_date(end),
                day=end,
                capabilities=tuple(s.id for s in specs),
                deadline=deadline,
            ),
        ),
        sprints=(),
        roles={r: r for r in capacity},
        areas={"core": "Core"},
        day_rates={},
        total_cost=0.0,
        total_person_days=0.0,
        end=CALENDAR.end_date(end),
        capacity={
            role: tuple(CapacityStep(day, people) for day, people in steps)
            for role, steps in capacity.items()
        },
    )


def day_of(when: date) -> int:
    """The exclusive end day of a milestone reported on ``when`` (its last working day)."""
    return CALENDAR.to_index(when) + 1
