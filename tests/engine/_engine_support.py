"""Helpers for the engine tests: solving with the checker, and an exhaustive search."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from planner.engine import Objective, Project, Result, Schedule, check_schedule, solve
from planner.engine.graph import safe_horizon


def solve_checked(
    project: Project,
    objectives: Sequence[Objective] = (Objective("makespan"),),
    **kwargs: object,
) -> Result:
    """Solve, then assert the schedule passes the independent checker, claimed values too."""
    kwargs.setdefault("time_limit", 5.0)
    result = solve(project, objectives, **kwargs)  # type: ignore[arg-type]
    if result.schedule is not None:
        violations = check_schedule(
            project, result.schedule, objectives, claimed=result.objective_values
        )
        assert violations == [], [str(v) for v in violations]
    return result


def brute_force_makespan(project: Project) -> int | None:
    """The optimal makespan by enumeration, or ``None`` when no schedule exists.

    Every mode vector within the budgets, every precedence-feasible activity list, each
    activity placed at its earliest feasible start (this generates every active schedule,
    and some active schedule is optimal; left-shifting never breaks a due).
    """
    horizon = safe_horizon(project)
    ids = [a.id for a in project.activities]
    best: int | None = None
    choices = [range(len(a.modes)) for a in project.activities]
    for vector in itertools.product(*choices):
        modes = dict(zip(ids, vector, strict=True))
        if any(
            a.fixed_mode is not None and modes[a.id] != a.fixed_mode for a in project.activities
        ):
            continue
        if any(
            sum(project.activity[i].modes[modes[i]].consumption.get(b.id, 0) for i in ids)
            > b.capacity
            for b in project.budgets
        ):
            continue
        for order in itertools.permutations(ids):
            schedule = _place(project, order, modes, horizon)
            if schedule is None:
                continue
            span = schedule.makespan(project)
            if best is None or span < best:
                best = span
    return best


def _place(
    project: Project, order: Sequence[str], modes: dict[str, int], horizon: int
) -> Schedule | None:
    position = {a: i for i, a in enumerate(order)}
    if any(position[p.before] > position[p.after] for p in project.precedences):
        return None
    used: dict[tuple[str, int], int] = {}
    starts: dict[str, int] = {}
    for a_id in order:
        activity = project.activity[a_id]
        mode = activity.modes[modes[a_id]]
        earliest = activity.release
        for p in project.precedences:
            if p.after == a_id:
                before = project.activity[p.before].modes[modes[p.before]].duration
                earliest = max(earliest, starts[p.before] + before + p.lag)
        if activity.fixed_start is not None:
            candidates: Sequence[int] = (
                [activity.fixed_start] if activity.fixed_start >= earliest else []
            )
        else:
            candidates = range(earliest, horizon + 1)
        for t in candidates:
            if all(
                used.get((r, u), 0) + units <= project.resource[r].capacity_at(u)
                for r, units in mode.demands.items()
                for u in range(t, t + mode.duration)
            ):
                break
        else:
            return None
        if activity.due is not None and t + mode.duration > activity.due:
            return None
        starts[a_id] = t
        for r, units in mode.demands.items():
            for u in range(t, t + mode.duration):
                used[(r, u)] = used.get((r, u), 0) + units
    schedule = Schedule(starts, modes)
    for ms in project.milestones:
        if ms.due is not None and schedule.milestone_date(ms.id, project) > ms.due:
            return None
    return schedule
