"""Forward-backward improvement (double justification) of a feasible schedule: pure Python.

A right pass moves each activity, latest end first, as late as it can go without passing the
makespan; a left pass then moves each, earliest start first, as early as it can go. Modes
stay as chosen, pins stay put, and no constraint that held is broken: every activity can at
worst stay where it is. The makespan never grows, and often shrinks.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from planner.engine.graph import effective_dues, topological_order
from planner.engine.greedy import _Usage, balanced_modes, greedy_schedule
from planner.engine.project import Project, Schedule


def justify(
    project: Project,
    schedule: Schedule,
    *,
    rounds: int = 4,
    milestones: Sequence[str] = (),
) -> Schedule:
    """Alternate right and left justification until the makespan stops improving.

    With ``milestones`` (ids), the right pass moves no activity past the current date of
    any of these milestones that holds it, so no milestone's date grows either (the left
    pass only moves activities earlier): the improvement is for every one of them.
    """
    best = schedule
    for _ in range(rounds):
        right = _right_pass(project, best, _ceilings(project, best, milestones))
        left = _left_pass(project, right)
        if _dates(project, left, milestones) >= _dates(project, best, milestones):
            return (
                left
                if _dates(project, left, milestones) == _dates(project, best, milestones)
                else best
            )
        best = left
    return best


def _dates(project: Project, schedule: Schedule, milestones: Sequence[str]) -> tuple[int, ...]:
    return (
        schedule.makespan(project),
        sum(schedule.milestone_date(m, project) for m in milestones),
    )


def _ceilings(project: Project, schedule: Schedule, milestones: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in milestones:
        date = schedule.milestone_date(m, project)
        for a in project.milestone[m].activities:
            out[a] = min(out.get(a, date), date)
    return out


def right_justified(project: Project, schedule: Schedule) -> Schedule:
    """Every activity moved as late as it can go without passing the makespan (one pass)."""
    return _right_pass(project, schedule)


def improved_greedy(
    project: Project, *, horizon: int | None = None, samples: int | None = None, seed: int = 1
) -> Schedule | None:
    """The best justified serial schedule over several priority lists; ``None`` when greedy
    finds nothing. Lists: latest finish time, then ``samples`` random perturbations of it
    (from a fixed ``seed``, so the result is deterministic). By default 8 samples, 2 for
    projects of more than 200 activities, none above 400 (each sample costs a pass over the
    project: seconds at that size)."""
    if samples is None:
        size = len(project.activities)
        samples = 8 if size <= 200 else 2 if size <= 400 else 0
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


def milestone_groups(
    project: Project, milestones: Sequence[str]
) -> tuple[dict[str, int], list[list[str]]]:
    """The work in the order the milestones are built: each activity's group number (the
    first milestone that needs it; the rest last) and the groups' activity ids."""
    classes: dict[str, int] = {}
    groups: list[list[str]] = []
    for k, m in enumerate(milestones):
        group = [a for a in project.milestone[m].activities if a not in classes]
        classes.update(dict.fromkeys(group, k))
        groups.append(group)
    rest = [a.id for a in project.activities if a.id not in classes]
    classes.update(dict.fromkeys(rest, len(milestones)))
    return classes, [*groups, rest]


def staged_greedy(
    project: Project, milestones: Sequence[str], *, horizon: int | None = None
) -> Schedule | None:
    """A serial schedule that builds the milestones in the order given: the work of the
    first milestone first, then what the next one adds, and so on (latest finish time within
    each group), each group's modes spread over the resources (:func:`balanced_modes`);
    then justified without moving any milestone later. ``None`` when greedy finds nothing.
    Without milestones: latest finish time first, the modes spread over all the work.
    """
    if not milestones:  # latest finish time first, modes spread over the resources
        choice = balanced_modes(project, [[a.id for a in project.activities]])
        plain = greedy_schedule(project, horizon=horizon, choice=choice)
        return justify(project, plain) if plain is not None else None
    classes, groups = milestone_groups(project, milestones)
    choice = balanced_modes(project, groups)
    schedule = greedy_schedule(project, horizon=horizon, classes=classes, choice=choice)
    if schedule is None:
        return None
    return justify(project, schedule, milestones=milestones)


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


def _right_pass(
    project: Project, schedule: Schedule, ceilings: dict[str, int] | None = None
) -> Schedule:
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
            if ceilings and a_id in ceilings:
                highest_end = min(highest_end, ceilings[a_id])
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
