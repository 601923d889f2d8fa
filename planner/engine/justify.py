"""Forward-backward improvement (double justification) of a feasible schedule: pure Python.

A right pass moves each activity, latest end first, as late as it can go without passing the
makespan; a left pass then moves each, earliest start first, as early as it can go. Modes
stay as chosen, pins stay put, and no constraint that held is broken: every activity can at
worst stay where it is. The makespan never grows, and often shrinks.
"""

from __future__ import annotations

import random

from planner.engine.graph import effective_dues, topological_order
from planner.engine.greedy import _Usage, greedy_schedule
from planner.engine.project import Project, Schedule


def justify(project: Project, schedule: Schedule, *, rounds: int = 4) -> Schedule:
    """Alternate right and left justification until the makespan stops improving."""
    best = schedule
    for _ in range(rounds):
        right = _right_pass(project, best)
        left = _left_pass(project, right)
        if left.makespan(project) >= best.makespan(project):
            return left if left.makespan(project) == best.makespan(project) else best
        best = left
    return best


def right_justified(project: Project, schedule: Schedule) -> Schedule:
    """Every activity moved as late as it can go without passing the makespan (one pass)."""
    return _right_pass(project, schedule)


def improved_greedy(
    project: Project, *, horizon: int | None = None, samples: int | None = None, seed: int = 1
) -> Schedule | None:
    """The best justified serial schedule over several priority lists; ``None`` when greedy
    finds nothing. Lists: latest finish time, then ``samples`` random perturbations of it
    (from a fixed ``seed``, so the result is deterministic). By default 8 samples, 2 for
    projects of more than 200 activities (each sample costs a pass over the project)."""
    if samples is None:
        samples = 8 if len(project.activities) <= 200 else 2
    rng = random.Random(seed)
    best: Schedule | None = None
    jitter = 0.0
    for k in range(samples + 1):
        noise = {a.id: rng.random() * jitter for a in project.activities}
        schedule = greedy_schedule(project, horizon=horizon, noise=noise if k else None)
        jitter = 0.5 + k
        if schedule is None:
            continue
        schedule = justify(project, schedule)
        if best is None or schedule.makespan(project) < best.makespan(project):
            best = schedule
    return best


def _durations(project: Project, schedule: Schedule) -> dict[str, int]:
    return {a.id: schedule.duration(a.id, project) for a in project.activities}


def _demands(project: Project, schedule: Schedule, a_id: str) -> dict[str, int]:
    mode = project.activity[a_id].modes[schedule.modes[a_id]]
    return {r: u for r, u in mode.demands.items() if u > 0}


def _rank(project: Project) -> dict[str, int]:
    order = topological_order(project)
    assert order is not None
    return {a_id: i for i, a_id in enumerate(order)}


def _left_pass(project: Project, schedule: Schedule) -> Schedule:
    dur = _durations(project, schedule)
    rank = _rank(project)
    horizon = schedule.makespan(project) + 1
    usage = _Usage(project, horizon)
    starts = dict(schedule.starts)
    for a_id in sorted(starts, key=lambda a: (starts[a], rank[a])):
        activity = project.activity[a_id]
        demands = _demands(project, schedule, a_id)
        if activity.fixed_start is None:
            lowest = max(activity.release, 0)
            for p in project.predecessors[a_id]:
                lowest = max(lowest, starts[p.before] + dur[p.before] + p.lag)
            found = usage.earliest(demands, lowest, dur[a_id])
            if found is not None and found < starts[a_id]:
                starts[a_id] = found
        usage.hold(demands, starts[a_id], dur[a_id])
    return Schedule(starts, schedule.modes)


def _right_pass(project: Project, schedule: Schedule) -> Schedule:
    dur = _durations(project, schedule)
    rank = _rank(project)
    dues = effective_dues(project)
    makespan = schedule.makespan(project)
    usage = _Usage(project, makespan + 1)
    starts = dict(schedule.starts)
    ends = {a: starts[a] + dur[a] for a in starts}
    for a_id in sorted(starts, key=lambda a: (-ends[a], -rank[a])):
        activity = project.activity[a_id]
        demands = _demands(project, schedule, a_id)
        if activity.fixed_start is None:
            highest_end = min(makespan, dues.get(a_id, makespan))
            for p in project.successors[a_id]:
                highest_end = min(highest_end, starts[p.after] - p.lag)
            t = highest_end - dur[a_id]
            while t > starts[a_id]:
                blocked = usage.fits_from(demands, t, dur[a_id])
                if blocked < 0:
                    starts[a_id] = t
                    break
                t = min(t - 1, blocked - dur[a_id])
        usage.hold(demands, starts[a_id], dur[a_id])
    return Schedule(starts, schedule.modes)
