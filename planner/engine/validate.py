"""Structural checks of a :class:`~planner.engine.project.Project`, all problems at once."""

from __future__ import annotations

from collections import Counter

from planner.engine.graph import topological_order
from planner.engine.project import Project


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"{kind} {i!r}: duplicate id" for i, n in Counter(ids).items() if n > 1]


def validate_project(project: Project) -> list[str]:
    """Every structural problem of the project, as readable messages (empty when valid).

    Raises nothing; :func:`planner.engine.solve` raises
    :class:`~planner.engine.project.ProjectError` when this list is not empty. Checked:
    duplicate ids, unknown ids (precedences, milestones, demands, consumptions, objectives
    aside), empty or out-of-range modes, negative durations/demands/capacities/releases,
    unsorted capacity steps, empty preferred windows and precedence cycles.
    """
    problems: list[str] = []
    problems += _duplicates("activity", [a.id for a in project.activities])
    problems += _duplicates("resource", [r.id for r in project.resources])
    problems += _duplicates("budget", [b.id for b in project.budgets])
    problems += _duplicates("milestone", [m.id for m in project.milestones])
    resources = {r.id for r in project.resources}
    budgets = {b.id for b in project.budgets}
    activities = {a.id for a in project.activities}

    for a in project.activities:
        where = f"activity {a.id!r}"
        if not a.modes:
            problems.append(f"{where}: needs at least one mode")
        if a.release < 0:
            problems.append(f"{where}: release must be >= 0, got {a.release}")
        if a.fixed_start is not None and a.fixed_start < 0:
            problems.append(f"{where}: fixed_start must be >= 0, got {a.fixed_start}")
        if a.fixed_mode is not None and not 0 <= a.fixed_mode < len(a.modes):
            problems.append(
                f"{where}: fixed_mode {a.fixed_mode} is not a mode index (0..{len(a.modes) - 1})"
            )
        if a.preferred_window is not None and a.preferred_window[0] >= a.preferred_window[1]:
            problems.append(f"{where}: preferred_window {a.preferred_window} is empty")
        for m, mode in enumerate(a.modes):
            at = f"{where}: modes[{m}]"
            if mode.duration < 0:
                problems.append(f"{at}: duration must be >= 0, got {mode.duration}")
            for resource_id, units in mode.demands.items():
                if resource_id not in resources:
                    problems.append(f"{at}: unknown resource {resource_id!r} in demands")
                if units < 0:
                    problems.append(f"{at}: demand for {resource_id!r} must be >= 0, got {units}")
            for budget_id, units in mode.consumption.items():
                if budget_id not in budgets:
                    problems.append(f"{at}: unknown budget {budget_id!r} in consumption")
                if units < 0:
                    problems.append(f"{at}: consumption of {budget_id!r} must be >= 0, got {units}")

    for r in project.resources:
        if r.capacity < 0 or any(value < 0 for _, value in r.steps):
            problems.append(f"resource {r.id!r}: capacities must be >= 0")
        times = [t for t, _ in r.steps]
        if times != sorted(times):
            problems.append(f"resource {r.id!r}: steps must be sorted by time")
    for b in project.budgets:
        if b.capacity < 0:
            problems.append(f"budget {b.id!r}: capacity must be >= 0, got {b.capacity}")

    cyclic_possible = True
    for i, p in enumerate(project.precedences):
        for side in ("before", "after"):
            value = getattr(p, side)
            if value not in activities:
                problems.append(f"precedences[{i}]: unknown activity {value!r} in {side!r}")
                cyclic_possible = False
        if p.before == p.after:
            problems.append(f"precedences[{i}]: activity {p.before!r} cannot precede itself")
            cyclic_possible = False
    for ms in project.milestones:
        for a_id in ms.activities:
            if a_id not in activities:
                problems.append(f"milestone {ms.id!r}: unknown activity {a_id!r}")
    if project.horizon is not None and project.horizon < 0:
        problems.append(f"horizon must be >= 0, got {project.horizon}")

    duplicate_free = len(activities) == len(project.activities)
    if cyclic_possible and duplicate_free and topological_order(project) is None:
        problems.append("precedences: there is a cycle; " + _describe_cycle(project))
    return problems


def _describe_cycle(project: Project) -> str:
    """One cycle, as ``a -> b -> a``."""
    color: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        color[node] = 1
        stack.append(node)
        for p in project.successors[node]:
            if color.get(p.after) == 1:
                return [*stack[stack.index(p.after) :], p.after]
            if p.after not in color:
                found = visit(p.after)
                if found:
                    return found
        stack.pop()
        color[node] = 2
        return None

    for a in project.activities:
        if a.id not in color:
            cycle = visit(a.id)
            if cycle:
                return " -> ".join(cycle)
    return "(not found)"
