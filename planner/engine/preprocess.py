"""Multi-mode preprocessing (Sprecher, Hartmann & Drexl, 1997): a smaller, equivalent project.

Three rules, repeated until none applies, in input order (a pure function: the same project
gives the same reduction):

- a *non-executable* mode needs more of a resource than it ever has (a mode of zero
  duration holds nothing), or consumes more of a budget than is left once every other
  activity takes its least consuming mode;
- a budget is *redundant* when it covers the sum of every activity's largest consumption
  (no choice of modes can exceed it);
- an *inefficient* mode is matched or beaten by another mode of the same activity in
  duration, every demand and every consumption of the budgets still there (of two equal
  modes the first stays).

Why the makespan cannot change: a feasible schedule never uses a non-executable mode, and
never exceeds a redundant budget; replacing an inefficient mode by the mode that beats it, at
the same start, holds no resource longer or with more units, consumes no more of any budget
that is left, and ends no later, so every constraint still holds and no end moves later.
Hence every schedule of the reduced project is one of the original project (its modes mapped
back) with the same dates, and every schedule of the original maps to one of the reduced
project ending no later: the optimal makespan is the same.

The other objectives are not all safe (the replacing mode may cost more of a budget that
only an objective counts, and the solver's choice among equally good schedules would change),
so :func:`reduce_project` applies only when every objective stage is the makespan. The
product's plans always have other stages (milestones, cost, starts) and are never reduced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from planner.engine.project import Activity, Budget, Mode, Objective, Project, Schedule


@dataclass(frozen=True)
class Reduction:
    """A reduced project and the way back to the original one's mode indices."""

    project: Project
    """The reduced project: same activities, resources and precedences, fewer modes and
    budgets."""
    kept: Mapping[str, tuple[int, ...]]
    """Activity id -> the original index of each of its reduced modes."""
    replaced: Mapping[str, Mapping[int, int]]
    """Activity id -> inefficient original mode -> the kept original mode that beats it."""
    dropped_budgets: tuple[str, ...]
    removed_modes: int

    def to_original(self, schedule: Schedule) -> Schedule:
        """The schedule of the reduced project as one of the original project."""
        return Schedule(
            starts=dict(schedule.starts),
            modes={a: self.kept[a][m] for a, m in schedule.modes.items()},
        )

    def to_reduced(self, schedule: Schedule) -> Schedule | None:
        """A schedule of the original project as one of the reduced project (each
        inefficient mode replaced by the mode that beats it); ``None`` when it uses a
        non-executable mode (it was infeasible) or misses an activity."""
        modes: dict[str, int] = {}
        for a_id, kept in self.kept.items():
            if a_id not in schedule.modes or a_id not in schedule.starts:
                return None
            mode = schedule.modes[a_id]
            mode = self.replaced[a_id].get(mode, mode)
            if mode not in kept:
                return None
            modes[a_id] = kept.index(mode)
        return Schedule(starts={a: schedule.starts[a] for a in self.kept}, modes=modes)


def reduce_project(project: Project, objectives: Sequence[Objective]) -> Reduction | None:
    """The reduced project when every objective stage is the makespan and a rule removes
    something; ``None`` otherwise (also when an activity has no executable mode left: the
    project is infeasible and the solver says so)."""
    if not objectives or any(o.kind != "makespan" for o in objectives):
        return None
    capacity = {r.id: r.max_capacity for r in project.resources}
    modes = {a.id: list(a.allowed_modes) for a in project.activities}
    free = [a for a in project.activities if a.fixed_mode is None and len(a.modes) > 1]
    budgets = [b for b in project.budgets]
    replaced: dict[str, dict[int, int]] = {a.id: {} for a in project.activities}
    changed = True
    while changed:
        changed = False
        least = {
            b.id: sum(
                min(a.modes[i].consumption.get(b.id, 0) for i in modes[a.id])
                for a in project.activities
            )
            for b in budgets
        }
        for a in free:
            executable = [
                i
                for i in modes[a.id]
                if _executable(a, a.modes[i], modes[a.id], capacity, least, budgets)
            ]
            if not executable:
                return None
            if len(executable) < len(modes[a.id]):
                modes[a.id], changed = executable, True
        redundant = [
            b
            for b in budgets
            if sum(
                max(a.modes[i].consumption.get(b.id, 0) for i in modes[a.id])
                for a in project.activities
            )
            <= b.capacity
        ]
        if redundant:
            gone = {b.id for b in redundant}
            budgets = [b for b in budgets if b.id not in gone]
            changed = True
        live = [b.id for b in budgets]
        for a in free:
            efficient = []
            for i in modes[a.id]:
                winner = next((j for j in modes[a.id] if j != i and _beats(a, j, i, live)), None)
                if winner is None:
                    efficient.append(i)
                else:
                    replaced[a.id][i] = winner
            if len(efficient) < len(modes[a.id]):
                modes[a.id], changed = efficient, True
    removed = sum(len(a.allowed_modes) - len(modes[a.id]) for a in project.activities)
    live_ids = {b.id for b in budgets}
    dropped = tuple(b.id for b in project.budgets if b.id not in live_ids)
    if not removed and not dropped:
        return None
    activities: list[Activity] = []
    kept: dict[str, tuple[int, ...]] = {}
    for a in project.activities:
        if a.fixed_mode is not None:  # untouched: its pin keeps indexing its own modes
            kept[a.id] = tuple(range(len(a.modes)))
        else:
            kept[a.id] = tuple(modes[a.id])
        activities.append(
            replace(a, modes=tuple(_without(a.modes[i], live_ids) for i in kept[a.id]))
        )
    resolved = {a: {i: _follow(r, i) for i in r} for a, r in replaced.items()}
    return Reduction(
        project=replace(project, activities=tuple(activities), budgets=tuple(budgets)),
        kept=kept,
        replaced=resolved,
        dropped_budgets=dropped,
        removed_modes=removed,
    )


def _executable(
    activity: Activity,
    mode: Mode,
    current: Sequence[int],
    capacity: Mapping[str, int],
    least: Mapping[str, int],
    budgets: Sequence[Budget],
) -> bool:
    """Whether the mode fits every resource's peak, and every budget with every other
    activity in its least consuming mode (``least``: the sum of the least consumptions,
    ``current``: the activity's modes still in play)."""
    if mode.duration > 0 and any(units > capacity.get(r, 0) for r, units in mode.demands.items()):
        return False
    for b in budgets:
        own = min(activity.modes[i].consumption.get(b.id, 0) for i in current)
        if least[b.id] - own + mode.consumption.get(b.id, 0) > b.capacity:
            return False
    return True


def _beats(activity: Activity, j: int, i: int, budgets: Sequence[str]) -> bool:
    """Mode ``j`` is no longer and no more demanding or consuming than mode ``i`` (on the
    budgets still there), and better somewhere or earlier among equals."""
    a, b = activity.modes[j], activity.modes[i]

    def covers(x: Mode, y: Mode) -> bool:
        return (
            x.duration <= y.duration
            and all(u <= y.demands.get(r, 0) for r, u in x.demands.items())
            and all(x.consumption.get(k, 0) <= y.consumption.get(k, 0) for k in budgets)
        )

    return covers(a, b) and (not covers(b, a) or j < i)


def _without(mode: Mode, budgets: set[str]) -> Mode:
    """The mode without its consumption of dropped budgets."""
    if all(k in budgets for k in mode.consumption):
        return mode
    return replace(mode, consumption={k: u for k, u in mode.consumption.items() if k in budgets})


def _follow(replaced: Mapping[int, int], mode: int) -> int:
    """The kept mode at the end of a chain of replacements (each beat the one before)."""
    while mode in replaced:
        mode = replaced[mode]
    return mode
