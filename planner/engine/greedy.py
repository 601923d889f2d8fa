"""A greedy baseline: the serial schedule-generation scheme with latest-finish-time priority.

Pure Python. Used for solution hints, tight horizons and as the benchmark's baseline. It
respects releases, pins (placed first), precedences with lags, time-varying capacities and,
when it can, budgets and dues; it is a heuristic, so check its result before trusting it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.engine.graph import earliest_starts, latest_ends, safe_horizon, topological_order
from planner.engine.project import Activity, Mode, Project, Schedule


class _Usage:
    """Free capacity per resource and time unit within a horizon."""

    def __init__(self, project: Project, horizon: int) -> None:
        self.horizon = horizon
        self.free: dict[str, list[int]] = {
            r.id: [r.capacity_at(t) for t in range(horizon)] for r in project.resources
        }

    def fits_from(self, demands: dict[str, int], start: int, duration: int) -> int:
        """-1 when the mode fits at ``start``; else the first time unit where it does not."""
        if start + duration > self.horizon:
            return self.horizon
        for r, units in demands.items():
            free = self.free[r]
            for t in range(start, start + duration):
                if free[t] < units:
                    return t
        return -1

    def earliest(self, demands: dict[str, int], start: int, duration: int) -> int | None:
        """The earliest start >= ``start`` where the mode fits, or ``None`` within the horizon."""
        while start + duration <= self.horizon:
            blocked = self.fits_from(demands, start, duration)
            if blocked < 0:
                return start
            start = blocked + 1
        return None

    def hold(self, demands: dict[str, int], start: int, duration: int) -> None:
        for r, units in demands.items():
            free = self.free[r]
            for t in range(start, start + duration):
                free[t] -= units


def greedy_schedule(
    project: Project,
    *,
    horizon: int | None = None,
    noise: Mapping[str, float] | None = None,
    classes: Mapping[str, int] | None = None,
    thrift: float | None = None,
    choice: Mapping[str, int] | None = None,
) -> Schedule | None:
    """A serial-SGS schedule (latest finish time first), or ``None`` if something cannot be
    placed within the horizon (or within the budgets).

    Multi-mode: each activity takes the allowed mode that finishes earliest given the current
    usage, among the modes that keep every budget reachable with the cheapest modes of the
    activities still to place. The project must be valid (see ``validate_project``).

    ``classes``: a priority class per activity, placed before the latest finish time in the
    priority (lower first; e.g. the first milestone stage that needs it). ``thrift``: only
    modes whose work (duration x units, summed over resources) is at most ``1 + thrift``
    times the activity's least are considered (on a project bound by its resources, the
    earliest-finishing mode burns capacity later work needs).
    """
    order = topological_order(project)
    if order is None:
        return None
    if horizon is None:
        horizon = project.horizon if project.horizon is not None else safe_horizon(project)
    latest = latest_ends(project, horizon)
    earliest = earliest_starts(project)
    position = {a_id: i for i, a_id in enumerate(order)}
    usage = _Usage(project, horizon)
    budget_left = {b.id: b.capacity for b in project.budgets}
    cheapest = {
        a.id: {
            b: min(a.modes[m].consumption.get(b, 0) for m in a.allowed_modes) for b in budget_left
        }
        for a in project.activities
    }
    reserve = {b: sum(cheapest[a.id][b] for a in project.activities) for b in budget_left}

    starts: dict[str, int] = {}
    modes: dict[str, int] = {}

    def work(mode_index: int, activity: Activity) -> int:
        mode = activity.modes[mode_index]
        return mode.duration * sum(mode.demands.values())

    def place(activity: Activity, not_before: int, pinned: bool) -> bool:
        best: tuple[int, int, int, int] | None = None
        allowed = activity.allowed_modes
        if choice is not None and activity.id in choice and activity.fixed_mode is None:
            allowed = (choice[activity.id],)
        if thrift is not None and len(allowed) > 1:
            least = min(work(m, activity) for m in allowed)
            allowed = tuple(m for m in allowed if work(m, activity) <= (1 + thrift) * least)
        for m in allowed:
            mode = activity.modes[m]
            affordable = all(
                budget_left[b] - mode.consumption.get(b, 0) >= reserve[b] - cheapest[activity.id][b]
                for b in budget_left
            )
            if not affordable:
                continue
            demands = {r: u for r, u in mode.demands.items() if u > 0}
            if pinned:
                fits = usage.fits_from(demands, not_before, mode.duration) < 0
                at: int | None = not_before if fits else None
            else:
                at = usage.earliest(demands, not_before, mode.duration)
            if at is None:
                continue
            key = (at + mode.duration, sum(mode.consumption.values()), m, at)
            if best is None or key < best:
                best = key
        if best is None:
            return False
        _, _, m, at = best
        mode = activity.modes[m]
        usage.hold({r: u for r, u in mode.demands.items() if u > 0}, at, mode.duration)
        for b in budget_left:
            budget_left[b] -= mode.consumption.get(b, 0)
            reserve[b] -= cheapest[activity.id][b]
        starts[activity.id], modes[activity.id] = at, m
        return True

    for a in project.activities:
        if a.fixed_start is not None and not place(a, a.fixed_start, pinned=True):
            return None
    waiting = {a.id: len(project.predecessors[a.id]) for a in project.activities}
    eligible = [a_id for a_id, n in waiting.items() if n == 0]
    while eligible:
        eligible.sort(
            key=lambda a_id: (
                classes.get(a_id, 0) if classes else 0,
                latest[a_id] + (noise[a_id] if noise else 0.0),
                earliest[a_id],
                position[a_id],
            )
        )
        a_id = eligible.pop(0)
        activity = project.activity[a_id]
        if a_id not in starts:
            not_before = max(activity.release, 0)
            for p in project.predecessors[a_id]:
                end = starts[p.before] + project.activity[p.before].modes[modes[p.before]].duration
                not_before = max(not_before, end + p.lag)
            if not place(activity, not_before, pinned=False):
                return None
        for p in project.successors[a_id]:
            waiting[p.after] -= 1
            if waiting[p.after] == 0:
                eligible.append(p.after)
    return Schedule(starts=starts, modes=modes)


def balanced_modes(project: Project, groups: Sequence[Sequence[str]]) -> dict[str, int]:
    """A mode per activity that spreads each group's work over the resources: within each
    group (e.g. the work of one milestone), start from each activity's least-work mode and
    switch modes while that lowers the busiest resource's load (work / peak capacity), or
    keeps it and lowers the total. Pinned modes stay. Deterministic (input order)."""
    peak = {r.id: max(r.max_capacity, 1) for r in project.resources}
    chosen: dict[str, int] = {}

    def load(mode: Mode) -> dict[str, float]:
        return {r: mode.duration * u / peak[r] for r, u in mode.demands.items() if u > 0}

    for group in groups:
        members = [project.activity[a] for a in group if a not in chosen]
        totals: dict[str, float] = dict.fromkeys(peak, 0.0)
        for a in members:
            m = min(a.allowed_modes, key=lambda i: (sum(load(a.modes[i]).values()), i))
            chosen[a.id] = m
            for r, v in load(a.modes[m]).items():
                totals[r] += v
        for _ in range(8):
            changed = False
            for a in members:
                if len(a.allowed_modes) < 2:
                    continue
                here = load(a.modes[chosen[a.id]])
                best = (max(totals.values(), default=0.0), sum(totals.values()), chosen[a.id])
                for m in a.allowed_modes:
                    there = load(a.modes[m])
                    trial = {r: totals[r] - here.get(r, 0.0) + there.get(r, 0.0) for r in totals}
                    key = (max(trial.values(), default=0.0), sum(trial.values()), m)
                    lower = key[0] < best[0] - 1e-9
                    level = abs(key[0] - best[0]) <= 1e-9 and key[1] < best[1] - 1e-9
                    if lower or level:
                        best = key
                if best[2] != chosen[a.id]:
                    there = load(a.modes[best[2]])
                    for r in totals:
                        totals[r] += there.get(r, 0.0) - here.get(r, 0.0)
                    chosen[a.id] = best[2]
                    changed = True
            if not changed:
                break
    return chosen
