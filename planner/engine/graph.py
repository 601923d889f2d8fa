"""Precedence-graph passes shared by the greedy scheme, the solver, the checker and explanations.

Pure Python. Durations are per activity (the shortest allowed mode unless given), lags may be
negative, and every start is at least 0 and at least the activity's release (or its pin).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from planner.engine.project import Project


def topological_order(project: Project) -> list[str] | None:
    """Activity ids so that every precedence goes forward; ``None`` when there is a cycle.

    Ties keep the input order, so the result is deterministic.
    """
    index = {a.id: i for i, a in enumerate(project.activities)}
    indegree = {a.id: 0 for a in project.activities}
    for p in project.precedences:
        indegree[p.after] += 1
    ready = sorted((index[a], a) for a, d in indegree.items() if d == 0)
    order: list[str] = []
    heapq.heapify(ready)
    while ready:
        _, current = heapq.heappop(ready)
        order.append(current)
        for p in project.successors[current]:
            indegree[p.after] -= 1
            if indegree[p.after] == 0:
                heapq.heappush(ready, (index[p.after], p.after))
    return order if len(order) == len(project.activities) else None


def earliest_starts(project: Project, durations: Mapping[str, int] | None = None) -> dict[str, int]:
    """Forward pass: the earliest start of each activity allowed by releases, pins and
    precedences with lags (resources ignored). The project must be acyclic."""
    order = topological_order(project)
    assert order is not None, "earliest_starts needs an acyclic project"
    start: dict[str, int] = {}
    for a_id in order:
        activity = project.activity[a_id]
        value = max(activity.release, 0)
        if activity.fixed_start is not None:
            value = max(value, activity.fixed_start)
        for p in project.predecessors[a_id]:
            before = project.activity[p.before]
            d = durations[p.before] if durations is not None else before.min_duration
            value = max(value, start[p.before] + d + p.lag)
        start[a_id] = value
    return start


def latest_ends(
    project: Project, horizon: int, durations: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Backward pass: the latest end of each activity allowed by the horizon, dues, pins and
    precedences with lags (resources ignored). The project must be acyclic."""
    order = topological_order(project)
    assert order is not None, "latest_ends needs an acyclic project"
    dues = effective_dues(project)
    end: dict[str, int] = {}
    for a_id in reversed(order):
        activity = project.activity[a_id]
        d = durations[a_id] if durations is not None else activity.max_duration
        value = horizon
        if dues.get(a_id) is not None:
            value = min(value, dues[a_id])
        for p in project.successors[a_id]:
            after = project.activity[p.after]
            d_after = durations[p.after] if durations is not None else after.min_duration
            value = min(value, end[p.after] - d_after - p.lag)
        if activity.fixed_start is not None:
            value = min(value, activity.fixed_start + d)
        end[a_id] = value
    return end


def effective_dues(project: Project) -> dict[str, int]:
    """The latest end of each activity from its own due and its milestones' dues."""
    dues = {a.id: a.due for a in project.activities if a.due is not None}
    for milestone in project.milestones:
        if milestone.due is not None:
            for a_id in milestone.activities:
                dues[a_id] = min(dues.get(a_id, milestone.due), milestone.due)
    return dues


def safe_horizon(project: Project) -> int:
    """A horizon long enough for a feasible schedule whenever one exists.

    After every release, pin and capacity step, activities can run one after another with
    their longest modes and every positive lag; the due dates are kept inside too.
    """
    settle = 0
    for a in project.activities:
        settle = max(settle, a.release)
        if a.fixed_start is not None:
            settle = max(settle, a.fixed_start + a.max_duration)
        if a.due is not None:
            settle = max(settle, a.due)
    for r in project.resources:
        settle = max(settle, r.last_change)
    for m in project.milestones:
        if m.due is not None:
            settle = max(settle, m.due)
    work = sum(a.max_duration for a in project.activities if a.modes)
    lags = sum(max(p.lag, 0) for p in project.precedences)
    return settle + work + lags
