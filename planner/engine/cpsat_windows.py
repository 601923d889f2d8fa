"""Improve a feasible schedule window by window with small CP-SAT models (a large-neighbourhood
search along time).

Each window frees a run of consecutive activities (by start); every other activity stays
where it is, in its mode. The freed activities are rescheduled by CP-SAT within what the
fixed ones leave: their fixed predecessors' ends and successors' starts, the capacity the
fixed ones do not use, the budget they do not consume, and never past the current date of
any milestone or objective they belong to (so no date grows). The window's objective pulls
the objective milestones' dates in, earlier stages first, then every end. After each sweep
a left pass (forward-backward improvement) lets later work move into what was freed. Odd
sweeps go from the last window back to the first (on a generated 1,000-activity roadmap the
target came 5 days sooner than going forward twice, the milestones alike).

Deterministic: windows in a fixed order, one worker, limits in deterministic time.
Only :mod:`planner.engine.cpsat` imports this module.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from planner.engine.check import check_schedule
from planner.engine.justify import justify, milestone_groups
from planner.engine.project import (
    Activity,
    Objective,
    Project,
    Resource,
    Schedule,
    objective_value,
)

SEED = 20240917
WINDOW = 40
"""Activities freed per window (consecutive by start; windows overlap by half). Measured on
a generated 1,000-activity roadmap: 40 gave better dates than 60 or 100 for the same time."""
SWEEPS = 2
MIN_WINDOW_TIME = 0.02
"""Deterministic seconds per window at least (below it CP-SAT hardly leaves the hint)."""


def improve_by_windows(
    project: Project,
    schedule: Schedule,
    objectives: Sequence[Objective],
    *,
    budget: float,
    size: int = WINDOW,
    sweeps: int = SWEEPS,
    stop: float | None = None,
) -> tuple[Schedule, float]:
    """A schedule no worse than ``schedule`` on the makespan and every objective milestone
    (each date at most as late), and the deterministic seconds spent (about ``budget``,
    shared evenly by the windows of ``sweeps`` sweeps). ``stop``: a ``time.perf_counter()``
    value after which no new window starts (a safety: the result may then vary)."""
    targets = _targets(project, objectives)
    if not targets or len(project.activities) <= size or budget <= 0:
        return schedule, 0.0
    count = len(_windows(project, schedule, size))
    per_window = max(budget / max(count * sweeps, 1), MIN_WINDOW_TIME)
    spent = 0.0
    best = schedule
    milestones = [t for t in targets if t]
    for sweep in range(sweeps):
        exhausted = False
        for j in range(count):
            k = count - 1 - j if sweep % 2 else j
            over = spent + per_window > budget * 1.000001
            if over or (stop is not None and time.perf_counter() >= stop):
                exhausted = True
                break
            windows = _windows(project, best, size)
            if k >= len(windows):
                continue
            trial, used = _solve_window(project, best, windows[k], targets, per_window)
            spent += used
            if trial is not None and not check_schedule(project, trial):
                best = trial
        # forward-backward improvement lets later work move into what the windows freed
        left = justify(project, best, rounds=2, milestones=milestones)
        if _key(project, left, objectives) <= _key(project, best, objectives):
            best = left
        if exhausted:
            break
    return best, spent


def first_milestone_first(
    project: Project,
    schedule: Schedule,
    objectives: Sequence[Objective],
    *,
    budget: float,
    wall: float | None = None,
    count: int = 1,
) -> Schedule | None:
    """A schedule that reaches the first ``count`` objective milestones as CP-SAT plans
    each in turn, alone.

    The first milestone's work (with everything before it) is a much smaller model than the
    project: CP-SAT (one worker, no LP, an equal part of ``budget`` deterministic seconds
    and of ``wall`` seconds, warm-started from ``schedule``) minimises its date alone, and
    that work is pinned; then the next milestone's work likewise, and so on. The rest is
    placed by the milestone-ordered serial scheme (the later milestones' work first), and
    the whole justified without moving any milestone later. ``None`` when there is no
    milestone stage, or nothing feasible comes of it."""
    from planner.engine import cpsat

    targets = [t for t in _targets(project, objectives) if t]
    if not targets:
        return None
    turns = targets[:count]
    pins: dict[str, tuple[int, int]] = {}
    current = schedule
    for t in turns:
        milestone = project.milestone[t]
        inside = _with_predecessors(project, milestone.activities)
        sub = Project(
            activities=tuple(
                replace(a, fixed_start=pins[a.id][0], fixed_mode=pins[a.id][1])
                if a.id in pins
                else a
                for a in project.activities
                if a.id in inside
            ),
            resources=project.resources,
            precedences=tuple(
                p for p in project.precedences if p.before in inside and p.after in inside
            ),
            budgets=project.budgets,
            milestones=(milestone,),
        )
        hint = Schedule(
            {a: current.starts[a] for a in inside}, {a: current.modes[a] for a in inside}
        )
        result = cpsat.solve(
            sub,
            (Objective("milestones", (t,)),),
            time_limit=budget / len(turns),
            wall_limit=None if wall is None else wall / len(turns),
            workers=1,
            hint=hint,
            linearization_level=0,
        )
        if result.schedule is None:
            return None
        for a_id in inside:
            pins[a_id] = (result.schedule.starts[a_id], result.schedule.modes[a_id])
        placed = _place_around(project, pins, targets)
        if placed is None:
            return None
        current = placed
    return justify(project, current, milestones=targets)


def _place_around(
    project: Project, pins: dict[str, tuple[int, int]], targets: list[str]
) -> Schedule | None:
    """The pinned work where it is, the rest by the milestone-ordered serial scheme with
    each milestone's options spread over the resources; ``None`` unless it checks."""
    from planner.engine.greedy import balanced_modes, greedy_schedule

    pinned = replace(
        project,
        activities=tuple(
            replace(a, fixed_start=pins[a.id][0], fixed_mode=pins[a.id][1]) if a.id in pins else a
            for a in project.activities
        ),
    )
    classes, groups = milestone_groups(project, targets)
    choice = balanced_modes(project, groups)
    placed = greedy_schedule(pinned, classes=classes, choice=choice)
    if placed is None:
        return None
    placed = Schedule(dict(placed.starts), dict(placed.modes))
    return None if check_schedule(project, placed) else placed


def _with_predecessors(project: Project, ids: Sequence[str]) -> set[str]:
    out = set(ids)
    stack = list(ids)
    while stack:
        for p in project.predecessors[stack.pop()]:
            if p.before not in out:
                out.add(p.before)
                stack.append(p.before)
    return out


def _key(project: Project, schedule: Schedule, objectives: Sequence[Objective]) -> tuple[int, ...]:
    return tuple(objective_value(project, schedule, o) for o in objectives)


def _targets(project: Project, objectives: Sequence[Objective]) -> list[str]:
    """The milestone ids the objectives date, in stage order; ``""`` for the makespan."""
    out: list[str] = []
    for o in objectives:
        if o.kind == "makespan":
            out.append("")
        elif o.kind == "milestones":
            out.extend(o.targets or [m.id for m in project.milestones])
    return out


def _windows(project: Project, schedule: Schedule, size: int) -> list[list[str]]:
    """Runs of ``size`` activities by start (then input order), overlapping by half."""
    index = {a.id: i for i, a in enumerate(project.activities)}
    order = sorted(
        (a.id for a in project.activities if a.fixed_start is None),
        key=lambda a: (schedule.starts[a], index[a]),
    )
    step = max(size // 2, 1)
    runs = [order[i : i + size] for i in range(0, max(len(order) - step, 1), step)]
    return [r for r in runs if r]


def _solve_window(
    project: Project,
    schedule: Schedule,
    free_ids: list[str],
    targets: list[str],
    seconds: float,
) -> tuple[Schedule | None, float]:
    """Reschedule ``free_ids`` with every other activity fixed; ``None`` if nothing found."""
    free = set(free_ids)
    dates = {
        t: schedule.milestone_date(t, project) if t else schedule.makespan(project) for t in targets
    }
    member: dict[str, list[str]] = {a_id: [] for a_id in free_ids}
    for t in targets:
        ids = project.milestone[t].activities if t else [a.id for a in project.activities]
        for a_id in ids:
            if a_id in free:
                member[a_id].append(t)
    lows, highs = _bounds(project, schedule, free_ids, member, dates)
    begin, end = min(lows.values()), max(highs.values())
    if end <= begin:
        return None, 0.0
    window = _Window(cp_model.CpModel())
    for a_id in free_ids:
        if not window.add_activity(project.activity[a_id], schedule, lows[a_id], highs[a_id]):
            return None, 0.0  # never expected: the schedule is feasible
    for p in project.precedences:
        if p.before in free and p.after in free:
            window.model.add(window.start[p.after] >= window.finish[p.before] + p.lag)
    for r in project.resources:
        window.add_capacity(project, schedule, r, begin, end)
    for b in project.budgets:
        window.add_budget(project, schedule, b.id, b.capacity)
    model = window.model
    weight = 4 * len(free_ids) * (len(targets) + 1) ** 2
    objective: list[Any] = []
    for k, t in enumerate(targets):
        ends = [window.finish[a_id] for a_id in free_ids if t in member[a_id]]
        if not ends:
            continue
        latest = model.new_int_var(begin, dates[t], f"d:{k}")
        model.add_max_equality(latest, ends)
        objective.append(latest * weight * (len(targets) - k))
    # then every end, the work of earlier stages' milestones weighing more
    objective.extend(
        window.finish[a_id] * (1 + sum(len(targets) - targets.index(t) for t in member[a_id]))
        for a_id in free_ids
    )
    model.minimize(sum(objective))
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = SEED
    params.max_deterministic_time = seconds
    params.linearization_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.deterministic_time
    starts = dict(schedule.starts)
    modes = dict(schedule.modes)
    for a_id in free_ids:
        starts[a_id] = int(solver.value(window.start[a_id]))
        modes[a_id] = next(
            m for m, lit in window.present[a_id].items() if solver.boolean_value(lit)
        )
    return Schedule(starts, modes), solver.deterministic_time


def _bounds(
    project: Project,
    schedule: Schedule,
    free_ids: list[str],
    member: dict[str, list[str]],
    dates: dict[str, int],
) -> tuple[dict[str, int], dict[str, int]]:
    """Earliest start and latest end of each freed activity: releases and fixed
    predecessors; dues, fixed successors, the current dates of its objectives' milestones,
    and never past the latest current end among the freed activities."""
    free = set(free_ids)
    ceiling = max(schedule.end(a_id, project) for a_id in free_ids)
    lows: dict[str, int] = {}
    highs: dict[str, int] = {}
    for a_id in free_ids:
        activity = project.activity[a_id]
        low = max(activity.release, 0)
        for p in project.predecessors[a_id]:
            if p.before not in free:
                low = max(low, schedule.end(p.before, project) + p.lag)
        high = ceiling
        if activity.due is not None:
            high = min(high, activity.due)
        for milestone in project.milestones:
            if milestone.due is not None and a_id in milestone.activities:
                high = min(high, milestone.due)
        for t in member[a_id]:
            high = min(high, dates[t])
        for p in project.successors[a_id]:
            if p.after not in free:
                high = min(high, schedule.starts[p.after] - p.lag)
        lows[a_id], highs[a_id] = low, high
    return lows, highs


class _Window:
    """The CP-SAT model of one window: a start, an end and mode literals per freed activity."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.start: dict[str, Any] = {}
        self.finish: dict[str, Any] = {}
        self.present: dict[str, dict[int, Any]] = {}

    def add_activity(self, activity: Activity, schedule: Schedule, low: int, high: int) -> bool:
        model, a_id = self.model, activity.id
        modes = [m for m in activity.allowed_modes if low + activity.modes[m].duration <= high]
        if schedule.modes[a_id] not in modes:
            return False
        shortest = min(activity.modes[m].duration for m in modes)
        start = model.new_int_var(low, high - shortest, f"s:{a_id}")
        self.start[a_id] = start
        if len(modes) == 1:
            self.present[a_id] = {modes[0]: model.new_constant(1)}
            self.finish[a_id] = start + activity.modes[modes[0]].duration
        else:
            lits = {m: model.new_bool_var(f"p:{a_id}:{m}") for m in modes}
            model.add_exactly_one(lits.values())
            end = model.new_int_var(low, high, f"e:{a_id}")
            model.add(
                end == start + sum(lit * activity.modes[m].duration for m, lit in lits.items())
            )
            self.present[a_id], self.finish[a_id] = lits, end
            for m, lit in lits.items():
                model.add_hint(lit, m == schedule.modes[a_id])
        model.add_hint(start, schedule.starts[a_id])
        return True

    def add_capacity(
        self, project: Project, schedule: Schedule, resource: Resource, begin: int, end: int
    ) -> None:
        """The freed activities' demands within what the fixed ones and the capacity's dips
        leave of the peak, from ``begin`` to ``end``."""
        items: list[tuple[Any, int]] = []
        for a_id, lits in self.present.items():
            activity = project.activity[a_id]
            for m, lit in lits.items():
                units = activity.modes[m].demands.get(resource.id, 0)
                d = activity.modes[m].duration
                if units > 0 and d > 0:
                    if len(lits) == 1:
                        iv = self.model.new_fixed_size_interval_var(self.start[a_id], d, "")
                    else:
                        iv = self.model.new_optional_fixed_size_interval_var(
                            self.start[a_id], d, lit, ""
                        )
                    items.append((iv, units))
        if not items:
            return
        peak = resource.max_capacity
        blocked = [peak - resource.capacity_at(t) for t in range(begin, end)]
        for activity in project.activities:
            if activity.id in self.present:
                continue
            units = activity.modes[schedule.modes[activity.id]].demands.get(resource.id, 0)
            if units > 0:
                lo = max(schedule.starts[activity.id], begin)
                hi = min(schedule.end(activity.id, project), end)
                for t in range(lo, hi):
                    blocked[t - begin] += units
        t = 0
        while t < len(blocked):
            if blocked[t] <= 0:
                t += 1
                continue
            u = t
            while u + 1 < len(blocked) and blocked[u + 1] == blocked[t]:
                u += 1
            block = self.model.new_fixed_size_interval_var(begin + t, u - t + 1, "")
            items.append((block, blocked[t]))
            t = u + 1
        self.model.add_cumulative([iv for iv, _ in items], [u for _, u in items], peak)

    def add_budget(self, project: Project, schedule: Schedule, budget: str, capacity: int) -> None:
        """The freed activities consume no more than they did (nor than the budget leaves)."""
        fixed = current = 0
        for activity in project.activities:
            used = activity.modes[schedule.modes[activity.id]].consumption.get(budget, 0)
            if activity.id in self.present:
                current += used
            else:
                fixed += used
        terms = [
            lit * project.activity[a_id].modes[m].consumption.get(budget, 0)
            for a_id, lits in self.present.items()
            for m, lit in lits.items()
            if project.activity[a_id].modes[m].consumption.get(budget, 0)
        ]
        if terms:
            self.model.add(sum(terms) <= min(capacity - fixed, current))
