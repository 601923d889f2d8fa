"""A solved roadmap's named people: who works on what, why someone waits for them, their load."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from planner.engine import Schedule
from planner.engine.explain import StartReason as EngineReason
from planner.plan import CapacityStep, PlannedItem, SprintLoad
from planner.reasons import StartReason
from planner.scheduling.people import name_people
from planner.scheduling.roadmap import Roadmap
from planner.workspace import Workspace


def named_people(roadmap: Roadmap, schedule: Schedule) -> dict[str, dict[str, tuple[str, ...]]]:
    """Capability -> role -> the named people covering it (see :func:`name_people`)."""
    project = roadmap.project
    held = [
        (a.id, schedule.starts[a.id], schedule.end(a.id, project), ways[schedule.modes[a.id]])
        for a in project.activities
        if (ways := roadmap.staffing.get(a.id))
    ]
    return name_people(roadmap.groups, held)


def people_busy(
    reason: EngineReason, roadmap: Roadmap, schedule: Schedule, workspace: Workspace
) -> StartReason:
    """The engine's "a skill group is fully used" as the people waited for, by name."""
    assert reason.resource is not None and reason.time is not None
    project, calendar = roadmap.project, roadmap.calendar
    group = next(g for g in roadmap.groups if g.id == reason.resource)
    if reason.capacity < reason.need:  # away, or not in the team yet (team.changes)
        assert reason.until is not None
        return StartReason(
            "people-absent",
            people=group.members,
            day=calendar.to_date(reason.time),
            until=calendar.to_date(reason.until),
            needed=reason.need,
            available=reason.capacity,
        )
    held = sum(
        project.activity[h].modes[schedule.modes[h]].demands.get(group.id, 0)
        for h in reason.holders
    )
    return StartReason(
        "people-busy",
        people=group.members,
        day=calendar.to_date(reason.time),
        needed=reason.need,
        available=reason.capacity - held,
        busy_on=tuple(sorted(reason.holders)),
        until=calendar.to_date(reason.time + 1),
    )


def people_capacity(roadmap: Roadmap) -> dict[str, tuple[CapacityStep, ...]]:
    """Each role's anonymous people over time, then each named person (always 1)."""
    groups = {g.id: g for g in roadmap.groups}
    capacity: dict[str, tuple[CapacityStep, ...]] = {}
    for r in roadmap.project.resources:
        steps = tuple(CapacityStep(day, people) for day, people in r.profile())
        if r.id not in groups:
            capacity[r.id] = steps
        elif groups[r.id].size == 1:  # one person: their own calendar
            capacity[groups[r.id].members[0]] = steps
        else:
            capacity.update(dict.fromkeys(groups[r.id].members, (CapacityStep(0, 1),)))
    return dict(sorted(capacity.items(), key=lambda kv: (kv[0] in _names(roadmap), kv[0])))


def _names(roadmap: Roadmap) -> set[str]:
    return {n for g in roadmap.groups for n in g.members}


def people_loads(
    roadmap: Roadmap, items: Sequence[PlannedItem], end_day: int
) -> tuple[SprintLoad, ...]:
    """Per sprint: each role's anonymous people and each named person, busy against
    available (a person is available 1)."""
    calendar = roadmap.calendar
    days = calendar.sprint_days
    groups = {g.id for g in roadmap.groups}
    pools = [r for r in roadmap.project.resources if r.id not in groups]
    names = [n for g in roadmap.groups for n in g.members]
    own = {  # a person with their own calendar (named in team.changes): its resource
        g.members[0]: r
        for g in roadmap.groups
        for r in roadmap.project.resources
        if r.id == g.id and g.size == 1
    }
    loads = []
    for sprint in range(1, calendar.sprint_of(max(end_day - 1, 0)) + 1):
        first = calendar.sprint_start(sprint)
        busy: dict[str, float] = {r.id: 0.0 for r in pools} | dict.fromkeys(names, 0.0)
        active: list[str] = []
        for item in sorted(items, key=lambda i: i.id):
            overlap = min(item.end_day, first + days) - max(item.start_day, first)
            if overlap <= 0:
                continue
            active.append(item.id)
            for who, units in item.demands.items():
                busy[who] += units * overlap / days
        available = {
            r.id: sum(r.capacity_at(t) for t in range(first, first + days)) / days
            for r in [*pools, *own.values()]
        }
        available = {
            k: available.get(k, 1.0) if k not in own else available[own[k].id]
            for k in [*(r.id for r in pools), *names]
        }
        loads.append(sprint_load(sprint, calendar.to_date(first), busy, available, active))
    return tuple(loads)


def sprint_load(
    sprint: int,
    start: date,
    busy: Mapping[str, float],
    available: Mapping[str, float],
    active: Sequence[str],
) -> SprintLoad:
    """One sprint's load as the plan keeps it: people to two decimals."""
    return SprintLoad(
        sprint,
        start,
        {k: round(v, 2) for k, v in busy.items()},
        {k: round(v, 2) for k, v in available.items()},
        tuple(active),
    )
