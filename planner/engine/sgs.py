"""Serial schedule generation on activity lists, with forward-backward improvement: pure Python.

The project is compiled once into plain lists indexed by activity (modes as duration and
``(resource index, units)`` pairs, predecessors and successors with their lags, releases,
pins) so that one schedule costs a pass over the list and a few slice minima per activity.
Free capacity is one list per resource over the horizon (time-varying capacities included).

- :meth:`Compiled.forward`: the serial scheme; each activity of a precedence-feasible list
  starts at its earliest precedence- and resource-feasible time (pins placed first);
- :meth:`Compiled.improve`: forward-backward improvement (double justification): activities
  right-justified by latest end first within the makespan, then left-justified by earliest
  start first. The makespan never grows, and often shrinks.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from planner.engine.graph import effective_dues, safe_horizon, topological_order
from planner.engine.project import Project, Schedule

Req = tuple[tuple[int, int], ...]
"""``(resource index, units)`` pairs of one mode, units > 0."""


@dataclass
class Compiled:
    """A project as lists indexed by activity position (input order)."""

    ids: list[str]
    durations: list[list[int]]
    """Per activity, per mode index: the duration."""
    reqs: list[list[Req]]
    consumption: list[list[tuple[int, ...]]]
    """Per activity, per mode index: units consumed per budget (budget order)."""
    allowed: list[tuple[int, ...]]
    """Per activity: the mode indices worth trying (pinned mode; no mode needing more of a
    resource than it ever has)."""
    capacities: list[int]
    """Per budget."""
    preds: list[list[tuple[int, int]]]
    succs: list[list[tuple[int, int]]]
    release: list[int]
    pinned: list[int | None]
    dues: list[int | None]
    rank: list[int]
    """Position of each activity in a topological order."""
    topo: list[int]
    free0: list[list[int]]
    """Per resource: capacity per time unit over ``[0, horizon)``."""
    horizon: int
    nonneg_lags: bool

    @property
    def size(self) -> int:
        return len(self.ids)

    def schedule(self, starts: list[int], modes: list[int]) -> Schedule:
        """The engine's schedule for per-activity starts and modes."""
        return Schedule(
            starts=dict(zip(self.ids, starts, strict=True)),
            modes=dict(zip(self.ids, modes, strict=True)),
        )

    def makespan(self, starts: list[int], modes: list[int]) -> int:
        d = self.durations
        return max((s + d[i][modes[i]] for i, s in enumerate(starts)), default=0)

    def late(self, starts: list[int], modes: list[int]) -> int:
        """Total time units by which activities end after their dues (0: every due met)."""
        d = self.durations
        return sum(
            max(starts[i] + d[i][modes[i]] - due, 0)
            for i, due in enumerate(self.dues)
            if due is not None
        )

    def excess(self, modes: list[int]) -> int:
        """Total units consumed above the budgets' capacities (0: every budget holds)."""
        if not self.capacities:
            return 0
        used = [0] * len(self.capacities)
        for i, m in enumerate(modes):
            for b, c in enumerate(self.consumption[i][m]):
                used[b] += c
        return sum(max(u - c, 0) for u, c in zip(used, self.capacities, strict=True))

    def forward(self, order: list[int], modes: list[int]) -> list[int] | None:
        """Serial schedule generation: starts per activity, or ``None`` when an activity
        does not fit within the horizon. ``order`` must be precedence-feasible."""
        free = [row[:] for row in self.free0]
        horizon = self.horizon
        starts = [0] * len(self.ids)
        ends = [0] * len(self.ids)
        durations, reqs, preds, pinned = self.durations, self.reqs, self.preds, self.pinned
        for i, at in enumerate(pinned):
            if at is not None:
                d = durations[i][modes[i]]
                if at + d > horizon or not _fits(free, reqs[i][modes[i]], at, d):
                    return None
                _hold(free, reqs[i][modes[i]], at, d)
                starts[i], ends[i] = at, at + d
        for i in order:
            if pinned[i] is not None:
                continue
            m = modes[i]
            d = durations[i][m]
            t = self.release[i]
            for j, lag in preds[i]:
                if ends[j] + lag > t:
                    t = ends[j] + lag
            req = reqs[i][m]
            if req and d:
                t = _earliest(free, req, t, d, horizon)
                if t < 0:
                    return None
                _hold(free, req, t, d)
            starts[i], ends[i] = t, t + d
        return starts

    def backward(self, starts: list[int], modes: list[int], makespan: int) -> list[int] | None:
        """Right justification: activities by latest end first, each as late as it fits
        without passing the makespan, its dues or its successors; ``None`` if one would have
        to start before its release."""
        n = len(self.ids)
        durations, reqs, succs, pinned = self.durations, self.reqs, self.succs, self.pinned
        ends = [starts[i] + durations[i][modes[i]] for i in range(n)]
        order = self._latest_end_first(ends)
        free = [row[:] for row in self.free0]
        out = [0] * n
        for i, at in enumerate(pinned):
            if at is not None:
                _hold(free, reqs[i][modes[i]], at, durations[i][modes[i]])
                out[i] = at
        for i in order:
            if pinned[i] is not None:
                continue
            m = modes[i]
            d = durations[i][m]
            end = makespan
            due = self.dues[i]
            if due is not None and due < end:
                end = due
            for j, lag in succs[i]:
                if out[j] - lag < end:
                    end = out[j] - lag
            t = end - d
            req = reqs[i][m]
            if req and d:
                t = _latest(free, req, t, d, self.release[i])
                if t < 0:
                    return None
                _hold(free, req, t, d)
            elif t < self.release[i]:
                return None
            out[i] = t
        return out

    def _latest_end_first(self, ends: list[int]) -> list[int]:
        """Activities by latest end first, every successor before its predecessor."""
        rank = self.rank
        if self.nonneg_lags:
            return sorted(range(len(ends)), key=lambda i: (-ends[i], -rank[i]))
        waiting = [len(s) for s in self.succs]
        ready = [(-ends[i], -rank[i], i) for i, w in enumerate(waiting) if w == 0]
        heapq.heapify(ready)
        out: list[int] = []
        while ready:
            _, _, i = heapq.heappop(ready)
            out.append(i)
            for j, _lag in self.preds[i]:
                waiting[j] -= 1
                if waiting[j] == 0:
                    heapq.heappush(ready, (-ends[j], -rank[j], j))
        return out

    def by_start(self, starts: list[int]) -> list[int]:
        """A precedence-feasible activity list ordered by start (ties: topological rank)."""
        rank = self.rank
        if self.nonneg_lags:
            return sorted(range(len(starts)), key=lambda i: (starts[i], rank[i]))
        waiting = [len(p) for p in self.preds]
        ready = [(starts[i], rank[i], i) for i, w in enumerate(waiting) if w == 0]
        heapq.heapify(ready)
        out: list[int] = []
        while ready:
            _, _, i = heapq.heappop(ready)
            out.append(i)
            for j, _lag in self.succs[i]:
                waiting[j] -= 1
                if waiting[j] == 0:
                    heapq.heappush(ready, (starts[j], rank[j], j))
        return out

    def improve(
        self, starts: list[int], modes: list[int], rounds: int = 2
    ) -> tuple[list[int], int]:
        """Forward-backward improvement of a forward schedule: ``(starts, makespan)``."""
        best = self.makespan(starts, modes)
        for _ in range(rounds):
            right = self.backward(starts, modes, best)
            if right is None:
                break
            left = self.forward(self.by_start(right), modes)
            if left is None:
                break
            span = self.makespan(left, modes)
            if span >= best:
                if span == best:
                    starts = left
                break
            starts, best = left, span
        return starts, best


def compile_project(project: Project, horizon: int | None = None) -> Compiled | None:
    """The compiled project, or ``None`` when its precedences have a cycle."""
    topo_ids = topological_order(project)
    if topo_ids is None:
        return None
    if horizon is None:
        horizon = project.horizon if project.horizon is not None else safe_horizon(project)
    index = {a.id: i for i, a in enumerate(project.activities)}
    res_index = {r.id: k for k, r in enumerate(project.resources)}
    peak = [r.max_capacity for r in project.resources]
    budgets = [b.id for b in project.budgets]
    durations, reqs, consumption, allowed = [], [], [], []
    for a in project.activities:
        durations.append([m.duration for m in a.modes])
        reqs.append(
            [
                tuple((res_index[r], u) for r, u in m.demands.items() if u > 0 and r in res_index)
                for m in a.modes
            ]
        )
        consumption.append([tuple(m.consumption.get(b, 0) for b in budgets) for m in a.modes])
        fits = tuple(m for m in a.allowed_modes if all(u <= peak[r] for r, u in reqs[-1][m]))
        allowed.append(fits or a.allowed_modes)
    preds: list[list[tuple[int, int]]] = [[] for _ in project.activities]
    succs: list[list[tuple[int, int]]] = [[] for _ in project.activities]
    for p in project.precedences:
        preds[index[p.after]].append((index[p.before], p.lag))
        succs[index[p.before]].append((index[p.after], p.lag))
    topo = [index[a] for a in topo_ids]
    rank = [0] * len(topo)
    for k, i in enumerate(topo):
        rank[i] = k
    dues = effective_dues(project)
    return Compiled(
        ids=[a.id for a in project.activities],
        durations=durations,
        reqs=reqs,
        consumption=consumption,
        allowed=allowed,
        capacities=[b.capacity for b in project.budgets],
        preds=preds,
        succs=succs,
        release=[max(a.release, 0) for a in project.activities],
        pinned=[a.fixed_start for a in project.activities],
        dues=[dues.get(a.id) for a in project.activities],
        rank=rank,
        topo=topo,
        free0=[[r.capacity_at(t) for t in range(horizon)] for r in project.resources],
        horizon=horizon,
        nonneg_lags=all(p.lag >= 0 for p in project.precedences),
    )


def _fits(free: list[list[int]], req: Req, t: int, d: int) -> bool:
    if not d:
        return True
    return all(min(free[r][t : t + d]) >= u for r, u in req)


def _hold(free: list[list[int]], req: Req, t: int, d: int) -> None:
    for r, u in req:
        row = free[r]
        row[t : t + d] = [x - u for x in row[t : t + d]]


def _earliest(free: list[list[int]], req: Req, t: int, d: int, horizon: int) -> int:
    """The earliest start >= ``t`` where the mode fits, or -1 within the horizon."""
    while t + d <= horizon:
        for r, u in req:
            row = free[r]
            if min(row[t : t + d]) < u:
                k = t + d - 1
                while row[k] >= u:
                    k -= 1
                t = k + 1
                break
        else:
            return t
    return -1


def _latest(free: list[list[int]], req: Req, t: int, d: int, floor: int) -> int:
    """The latest start <= ``t`` and >= ``floor`` where the mode fits, or -1."""
    while t >= floor:
        for r, u in req:
            row = free[r]
            if min(row[t : t + d]) < u:
                k = t
                while row[k] >= u:
                    k += 1
                t = k - d
                break
        else:
            return t
    return -1
