"""Lower bounds on a milestone's date: precedence-aware energy reasoning over mixed modes.

Pure data in, an integer out; the linear programmes are solved with GLOP (imported lazily).

For a set ``S`` of activities (a milestone's work) reached at ``T`` (the latest end in ``S``):

- every activity ``a`` starts at or after its *head* ``h_a`` (the earliest start from
  releases, pins and precedences with the shortest modes, resources ignored) and ends at or
  before ``T - q_a``, where its *tail* ``q_a`` is the longest chain of lags and shortest
  durations from its end to the end of an activity of ``S``;
- so, in mode ``m`` of duration ``d``, at least ``max(0, d - (t - h_a)+ - (q - q_a)+)`` of
  it lies inside any window ``[t, T - q]`` (the overlap is concave in the start, so one of
  the two extreme starts gives its least value, and both give at least this);
- a resource of peak capacity ``C`` holds at most ``C * (T - t - q)`` units of work there.

With the modes mixed fractionally (one share per mode, summing to one), ``T`` at least each
activity's head + mixed duration + tail, and these window constraints for every resource,
the least ``T`` is a lower bound on the milestone's date in every feasible schedule. Windows
are added as cuts (the most violated per resource, heads x tails), and only for ``t + q``
within a bound already proven (else an empty window would wrongly claim ``T >= t + q``).
The plain energy bound (``t = q = 0``) and the critical path are the first round.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

import numpy as np

from planner.engine.graph import earliest_starts, topological_order
from planner.engine.project import Project

EPSILON = 1e-6


def heads_and_tails(
    project: Project, inside: Collection[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Per activity of ``inside``: its head (earliest start) and its tail (least time from its
    end to the latest end in ``inside``), both from shortest modes and lags."""
    heads = earliest_starts(project)
    order = topological_order(project)
    assert order is not None, "bounds need an acyclic project"
    members = set(inside)
    tails: dict[str, int] = {}
    for a_id in reversed(order):
        if a_id not in members:
            continue
        tail = 0
        for p in project.successors[a_id]:
            if p.after in members:
                after = project.activity[p.after]
                tail = max(tail, p.lag + after.min_duration + tails[p.after])
        tails[a_id] = tail
    return {a: heads[a] for a in members}, tails


def critical_path(project: Project, inside: Collection[str]) -> int:
    """The longest chain of heads, shortest durations and tails through ``inside`` (0 if empty)."""
    heads, tails = heads_and_tails(project, inside)
    return max((heads[a] + project.activity[a].min_duration + tails[a] for a in heads), default=0)


def energy_bound(project: Project, inside: Collection[str], *, rounds: int = 40) -> int:
    """A lower bound on the latest end of ``inside`` in every feasible schedule (see the
    module's description): at least the critical path and the plain energy bound."""
    members = sorted(set(inside))
    if not members:
        return 0
    from ortools.linear_solver import pywraplp

    heads, tails = heads_and_tails(project, members)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    span = lp.NumVar(0, lp.infinity(), "T")
    # one column per (activity, allowed mode)
    owner: list[int] = []
    duration: list[int] = []
    shares: list[Any] = []
    for i, a_id in enumerate(members):
        activity = project.activity[a_id]
        mine = []
        for m in activity.allowed_modes:
            share = lp.NumVar(0, 1, f"{a_id}:{m}")
            mine.append((share, activity.modes[m].duration))
            owner.append(i)
            duration.append(activity.modes[m].duration)
            shares.append(share)
        lp.Add(lp.Sum([s for s, _ in mine]) == 1)
        lp.Add(span >= heads[a_id] + tails[a_id] + lp.Sum([s * d for s, d in mine]))
    resources = [r for r in project.resources if r.max_capacity > 0]
    demand = {
        r.id: [
            project.activity[a_id].modes[m].demands.get(r.id, 0)
            for a_id in members
            for m in project.activity[a_id].allowed_modes
        ]
        for r in resources
    }
    # each resource once as it is, and once per dual feasible function of its capacity that
    # changes some demand: the same windows then also count what cannot run side by side
    units: dict[str, Any] = {}
    capacity: dict[str, int] = {}
    for r in resources:
        seen: set[tuple[float, ...]] = set()
        for f in dual_feasible_functions(r.max_capacity):
            row = tuple(f(u) for u in demand[r.id])
            if row in seen or not any(row):
                continue
            seen.add(row)
            key = f"{r.id}#{len(seen) - 1}"
            units[key], capacity[key] = np.array(row, dtype=float), r.max_capacity
    head = np.array([heads[members[i]] for i in owner], dtype=float)
    tail = np.array([tails[members[i]] for i in owner], dtype=float)
    dur = np.array(duration, dtype=float)
    by_id = {r.id: r for r in resources}
    starts = np.unique(head)
    ends = np.unique(tail)
    added: set[tuple[str, float, float]] = set()

    def add_window(resource: str, t: float, q: float) -> None:
        added.add((resource, t, q))
        inside_work = np.maximum(dur - np.maximum(t - head, 0) - np.maximum(q - tail, 0), 0)
        coefficients = units[resource] * inside_work
        terms = [shares[k] * float(c) for k, c in enumerate(coefficients) if c > 0]
        if terms:
            lp.Add(lp.Sum(terms) <= available(resource, t, q))

    def available(resource: str, t: float, q: float) -> Any:
        """Units of work the resource can hold in ``[t, T - q]``: its peak over the window;
        as it is (dips and steps counted) when the window ends after its last change for
        every ``T`` still possible (counted for the resource itself, not for the dual
        feasible functions, which hold only against the peak)."""
        r = by_id[resource.rsplit("#", 1)[0]]
        last = max(r.last_change, int(t))
        if resource.rsplit("#", 1)[1] != "0" or last > best - q:
            return capacity[resource] * (span - t - q)
        before = sum(r.capacity_at(k) for k in range(int(t), last))
        return before + r.capacity_at(last) * (span - q - last)

    best = 0.0
    for key in units:
        add_window(key, 0.0, 0.0)
    lp.Minimize(span)
    for _ in range(rounds):
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            break
        value = span.solution_value()
        best = max(best, value)
        x = np.array([s.solution_value() for s in shares])
        span.SetLb(best)  # proven: every later window may rely on it
        cuts = 0
        for key in units:
            weight = units[key] * x
            used = weight > 0
            if not used.any():
                continue
            h, q_, d, w = head[used], tail[used], dur[used], weight[used]
            pick = _most_violated(h, q_, d, w, starts, ends, capacity[key], value, best)
            if pick is not None and (key, *pick) not in added:
                add_window(key, *pick)
                cuts += 1
        for key in units:  # a resource with steps: its whole span counted as it is
            name, number = key.rsplit("#", 1)
            stepped = by_id[name].steps and number == "0"
            if stepped and (key, -1.0, 0.0) not in added and by_id[name].last_change <= best:
                added.add((key, -1.0, 0.0))
                add_window(key, 0.0, 0.0)
                cuts += 1
        if not cuts:
            break
    return max(math.ceil(best - EPSILON), 0)


def dual_feasible_functions(capacity: int) -> list[Callable[[int], float]]:
    """Maps of demands that keep every set of demands fitting in ``capacity`` fitting in it:
    the identity, the "more than half" threshold, and Fekete and Schepers' family
    ``u -> u`` if ``(k + 1) u / C`` is whole, else ``floor((k + 1) u / C) * C / k``."""

    def identity(u: int) -> float:
        return float(u)

    def threshold(u: int) -> float:
        return float(capacity) if 2 * u > capacity else capacity / 2 if 2 * u == capacity else 0.0

    def fekete_schepers(k: int) -> Callable[[int], float]:
        def f(u: int) -> float:
            if (k + 1) * u % capacity == 0:
                return float(u)
            return math.floor((k + 1) * u / capacity) * capacity / k

        return f

    return [identity, threshold, *(fekete_schepers(k) for k in range(1, capacity + 1))]


def _most_violated(
    head: Any,
    tail: Any,
    dur: Any,
    weight: Any,
    starts: Any,
    ends: Any,
    capacity: int,
    value: float,
    proven: float,
) -> tuple[float, float] | None:
    """The window ``[t, T - q]`` (heads x tails, ``t + q <= proven``) whose forced work
    exceeds the capacity the most at the current solution, or ``None``."""
    late = np.maximum(ends[:, None] - tail[None, :], 0)  # (q, k)
    best_excess, pick = EPSILON * max(capacity, 1), None
    for t in starts:
        if t > proven:
            break
        early = np.maximum(t - head, 0)
        forced = np.maximum(dur[None, :] - early[None, :] - late, 0) @ weight  # per q
        excess = forced - capacity * (value - t - ends)
        excess[t + ends > proven + EPSILON] = -np.inf
        k = int(np.argmax(excess))
        if excess[k] > best_excess:
            best_excess, pick = float(excess[k]), (float(t), float(ends[k]))
    return pick
