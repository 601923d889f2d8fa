"""The CP-SAT model of a project: variables, constraints and objective expressions.

Only :mod:`planner.engine.cpsat` imports this module. Ordering matters: time windows and the
horizon come first (they bound every variable), then activity variables, then constraints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.engine.graph import earliest_starts, latest_ends
from planner.engine.project import Activity, Mode, Objective, Project

Group = tuple[str, str]
"""An assumption group: ``("due", activity id)``, ``("capacity", resource id)``, ..."""


@dataclass(frozen=True)
class ModelOptions:
    """How to build the model.

    ``assumptions``: guard releases, dues, pins, milestone dues, budgets and capacities with
    one literal per group (for conflict explanations). ``extra_capacity``: capacity becomes
    ``base + extra[r]`` with ``extra[r] >= 0``. ``drop_dues``: ignore activity and milestone
    dues. ``redundant``: add redundant disjunctions (pairs that can never overlap).
    """

    assumptions: bool = False
    extra_capacity: bool = False
    drop_dues: bool = False
    budgets: bool = True
    redundant: bool = True


@dataclass
class Model:
    """A built CP-SAT model and handles to its variables by human id."""

    model: cp_model.CpModel
    horizon: int
    start: dict[str, cp_model.IntVar] = field(default_factory=dict)
    end: dict[str, Any] = field(default_factory=dict)
    present: dict[str, dict[int, Any]] = field(default_factory=dict)
    extra: dict[str, cp_model.IntVar] = field(default_factory=dict)
    groups: dict[Group, cp_model.IntVar] = field(default_factory=dict)
    objectives: list[Any] = field(default_factory=list)


def build_model(
    project: Project,
    objectives: Sequence[Objective],
    horizon: int,
    options: ModelOptions = ModelOptions(),
) -> Model:
    """Build the model of ``project`` within ``horizon`` and one expression per objective."""
    m = Model(cp_model.CpModel(), horizon)
    windows = _windows(project, horizon, options)
    _activities(m, project, windows, options)
    _releases_dues_pins(m, project, options)
    _precedences(m, project)
    _capacities(m, project, options)
    if options.budgets:
        _budgets(m, project, options)
    dates = _milestones(m, project, options)
    m.objectives = [_objective(m, project, o, dates) for o in objectives]
    return m


def _guard(m: Model, kind: str, subject: str, options: ModelOptions) -> list[Any]:
    """``OnlyEnforceIf`` literals for a group: one assumption literal, or none."""
    if not options.assumptions:
        return []
    key = (kind, subject)
    if key not in m.groups:
        m.groups[key] = m.model.new_bool_var(f"{kind}:{subject}")
    return [m.groups[key]]


def _windows(project: Project, horizon: int, options: ModelOptions) -> dict[str, tuple[int, int]]:
    """Start windows ``[earliest start, latest end]`` from precedences, releases and dues.

    Guarded constraints (assumptions) and dropped dues must not tighten the windows, so
    the passes then run on the project without them.
    """
    base = project
    if options.assumptions or options.drop_dues:
        base = replace(
            project,
            activities=tuple(
                replace(
                    a,
                    due=None,
                    release=a.release if not options.assumptions else 0,
                    fixed_start=a.fixed_start if not options.assumptions else None,
                )
                for a in project.activities
            ),
            milestones=tuple(replace(ms, due=None) for ms in project.milestones),
        )
    early = earliest_starts(base)
    late = latest_ends(base, horizon)
    return {a.id: (early[a.id], late[a.id]) for a in project.activities}


def _activities(
    m: Model, project: Project, windows: dict[str, tuple[int, int]], options: ModelOptions
) -> None:
    """A start per activity; an optional interval per allowed mode; exactly one mode."""
    caps = {r.id: r.max_capacity for r in project.resources}
    for a in project.activities:
        early, late = windows[a.id]
        latest_start = max(early, late - a.min_duration)
        start = m.model.new_int_var(early, latest_start, f"s:{a.id}")
        m.start[a.id] = start
        usable = [
            i
            for i in a.allowed_modes
            if early + a.modes[i].duration <= late
            and (options.extra_capacity or _fits(a.modes[i], caps))
        ]
        usable = _undominated(a, usable)
        if not usable:  # keep the model well-formed; it is infeasible anyway
            m.model.add(start < early)
            usable = list(a.allowed_modes)
        if len(usable) == 1:
            d = a.modes[usable[0]].duration
            m.present[a.id] = {usable[0]: m.model.new_constant(1)}
            m.end[a.id] = start + d
            continue
        lowest = early + a.min_duration
        end = m.model.new_int_var(lowest, max(late, lowest), f"e:{a.id}")
        lits = {i: m.model.new_bool_var(f"p:{a.id}:{i}") for i in usable}
        m.model.add_exactly_one(lits.values())
        m.model.add(end == start + sum(lit * a.modes[i].duration for i, lit in lits.items()))
        m.present[a.id] = lits
        m.end[a.id] = end


def _fits(mode: Mode, caps: dict[str, int]) -> bool:
    """Whether the mode fits every resource's peak; a mode of zero duration holds nothing."""
    return mode.duration == 0 or all(u <= caps[r] for r, u in mode.demands.items())


def _undominated(activity: Activity, modes: list[int]) -> list[int]:
    """Drop each mode that another one matches or beats in duration, every demand and every
    consumption (the first of equal modes stays). Replacing a dominated mode by its dominator
    at the same start keeps every constraint and never worsens any objective."""

    def covers(a: Mode, b: Mode) -> bool:  # a is at least as good as b everywhere
        return (
            a.duration <= b.duration
            and all(u <= b.demands.get(r, 0) for r, u in a.demands.items())
            and all(u <= b.consumption.get(k, 0) for k, u in a.consumption.items())
        )

    kept = []
    for i in modes:
        mine = activity.modes[i]
        beaten = any(
            covers(activity.modes[j], mine) and (not covers(mine, activity.modes[j]) or j < i)
            for j in modes
            if j != i
        )
        if not beaten:
            kept.append(i)
    return kept


def _releases_dues_pins(m: Model, project: Project, options: ModelOptions) -> None:
    """Releases, dues, pinned starts and pinned modes; the horizon bounds every end."""
    for a in project.activities:
        start, end = m.start[a.id], m.end[a.id]
        m.model.add(end <= m.horizon)
        if a.release > 0:
            m.model.add(start >= a.release).only_enforce_if(_guard(m, "release", a.id, options))
        if a.due is not None and not options.drop_dues:
            m.model.add(end <= a.due).only_enforce_if(_guard(m, "due", a.id, options))
        if a.fixed_start is not None:
            m.model.add(start == a.fixed_start).only_enforce_if(_guard(m, "pinned", a.id, options))


def _precedences(m: Model, project: Project) -> None:
    """``start(after) >= end(before) + lag``."""
    for p in project.precedences:
        m.model.add(m.start[p.after] >= m.end[p.before] + p.lag)


def _capacities(m: Model, project: Project, options: ModelOptions) -> None:
    """One cumulative per resource at its peak capacity, with fixed blocking intervals where
    the capacity drops below the peak. When every pair of holders exceeds the peak, a
    no-overlap instead; otherwise the pairwise-exclusive big holders get a redundant one."""
    for r in project.resources:
        items: list[tuple[Any, int]] = []
        for a in project.activities:
            for i, lit in m.present[a.id].items():
                mode = a.modes[i]
                units = mode.demands.get(r.id, 0)
                if units > 0 and mode.duration > 0:
                    if len(m.present[a.id]) == 1:
                        interval = m.model.new_fixed_size_interval_var(
                            m.start[a.id], mode.duration, f"i:{a.id}:{r.id}"
                        )
                    else:
                        interval = m.model.new_optional_fixed_size_interval_var(
                            m.start[a.id], mode.duration, lit, f"i:{a.id}:{i}:{r.id}"
                        )
                    items.append((interval, units))
        if not items:
            continue
        profile = [(t, c) for t, c in r.profile() if t < m.horizon]
        if not profile:  # a zero horizon: no time unit to hold
            continue
        peak = max(c for _, c in profile)
        for k, (t, c) in enumerate(profile):
            stop = profile[k + 1][0] if k + 1 < len(profile) else m.horizon
            if c < peak and stop > t:
                items.append((m.model.new_fixed_size_interval_var(t, stop - t, "block"), peak - c))
        capacity: Any = peak
        if options.extra_capacity:
            top = sum(u for _, u in items)
            m.extra[r.id] = m.model.new_int_var(0, max(top, 0), f"extra:{r.id}")
            capacity = peak + m.extra[r.id]
            if options.assumptions:
                guard = _guard(m, "capacity", r.id, options)
                m.model.add(m.extra[r.id] == 0).only_enforce_if(guard)
        elif all(peak >= u > peak / 2 for _, u in items):
            # every pair of holders exceeds the peak, and each alone fits under it
            m.model.add_no_overlap([iv for iv, _ in items])
            continue
        m.model.add_cumulative([iv for iv, _ in items], [u for _, u in items], capacity)
        if options.redundant and not options.extra_capacity:
            big = [iv for iv, u in items if 2 * u > peak]
            if 1 < len(big) < len(items):
                m.model.add_no_overlap(big)


def _budgets(m: Model, project: Project, options: ModelOptions) -> None:
    for b in project.budgets:
        used = _consumption(m, project, b.id)
        m.model.add(used <= b.capacity).only_enforce_if(_guard(m, "budget", b.id, options))


def _consumption(m: Model, project: Project, budget_id: str) -> Any:
    return sum(
        lit * a.modes[i].consumption.get(budget_id, 0)
        for a in project.activities
        for i, lit in m.present[a.id].items()
        if a.modes[i].consumption.get(budget_id, 0)
    )


def _milestones(m: Model, project: Project, options: ModelOptions) -> dict[str, Any]:
    """A date per milestone: the latest end of its activities, and at least 0."""
    dates: dict[str, Any] = {}
    for ms in project.milestones:
        date = m.model.new_int_var(0, m.horizon, f"date:{ms.id}")
        m.model.add_max_equality(date, [0, *(m.end[a] for a in ms.activities)])
        if ms.due is not None and not options.drop_dues:
            m.model.add(date <= ms.due).only_enforce_if(_guard(m, "milestone-due", ms.id, options))
        dates[ms.id] = date
    return dates


def _energy(m: Model, project: Project, makespan: Any) -> None:
    """Redundant: a resource of constant capacity C holds at most C * makespan units of work."""
    for r in project.resources:
        if r.steps and len(r.profile()) > 1:
            continue
        work = sum(
            lit * a.modes[i].duration * a.modes[i].demands.get(r.id, 0)
            for a in project.activities
            for i, lit in m.present[a.id].items()
            if a.modes[i].demands.get(r.id, 0)
        )
        if r.capacity > 0 and not isinstance(work, int):
            m.model.add(work <= r.capacity * makespan)


def _objective(m: Model, project: Project, objective: Objective, dates: dict[str, Any]) -> Any:
    """The expression one stage minimises (equal to ``objective_value`` at any optimum)."""
    kind = objective.kind
    if kind == "makespan":
        # An activity followed with a non-negative lag never ends last.
        last = [
            a.id for a in project.activities if all(p.lag < 0 for p in project.successors[a.id])
        ]
        makespan = m.model.new_int_var(0, m.horizon, "makespan")
        m.model.add_max_equality(makespan, [0, *(m.end[a] for a in last)])
        _energy(m, project, makespan)
        return makespan
    if kind == "milestones":
        return sum(dates[t] for t in objective.targets or list(dates))
    if kind == "consumption":
        ids = objective.targets or tuple(b.id for b in project.budgets)
        return sum(_consumption(m, project, b) for b in ids)
    if kind == "starts":
        return sum(m.start.values())
    if kind == "shift":
        terms = []
        for a in project.activities:
            if a.preferred_start is not None:
                gap = m.model.new_int_var(0, m.horizon + abs(a.preferred_start), f"shift:{a.id}")
                m.model.add_abs_equality(gap, m.start[a.id] - a.preferred_start)
                terms.append(gap)
        return sum(terms)
    if kind == "moved":
        moved = []
        for a in project.activities:
            if a.preferred_window is not None:
                lo, hi = a.preferred_window
                out = m.model.new_bool_var(f"moved:{a.id}")
                m.model.add(m.start[a.id] >= lo).only_enforce_if(out.negated())
                m.model.add(m.start[a.id] <= hi - 1).only_enforce_if(out.negated())
                moved.append(out)
        return sum(moved)
    raise ValueError(f"unknown objective kind {kind!r}")
