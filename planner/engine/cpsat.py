"""Solve a project with OR-Tools CP-SAT: staged lexicographic objectives, deterministic runs.

Determinism
-----------
With ``deterministic=True`` (the default) the same inputs give the same schedule byte for
byte, whatever the machine's load:

- limits are counted in CP-SAT's *deterministic time* (``max_deterministic_time``, a work
  counter calibrated to roughly one second), never in wall-clock seconds, and the time left
  for later stages is what earlier stages used in deterministic time;
- with more than one worker, ``interleave_search`` runs the portfolio in fixed batches that
  synchronise deterministically (independently of ``num_workers``); one worker is
  deterministic by itself; the random seed is fixed;
- the greedy hint, the horizon and the model are built in input order (no set/dict-hash order).

The cost: interleaved search explores less per wall-clock second than the free-running
portfolio, and a deterministic second may take more or less than a real one. Benchmarks that
want raw speed pass ``deterministic=False`` (wall-clock limit, free-running workers).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ortools.sat.python import cp_model

from planner.engine.check import check_schedule
from planner.engine.cpsat_model import Group, Model, ModelOptions, build_model
from planner.engine.graph import safe_horizon
from planner.engine.justify import improved_greedy, staged_greedy
from planner.engine.preprocess import Reduction, reduce_project
from planner.engine.project import (
    OBJECTIVE_KINDS,
    Objective,
    Project,
    ProjectError,
    Schedule,
    objective_value,
)
from planner.engine.result import Result, SolveStatus, StageResult
from planner.engine.validate import validate_project

SEED = 20240917
"""The fixed random seed of every solve."""

WARM_TIE = 0.03
"""With milestone stages, warm starts whose first-stage value is within this share of the
best warm start's tie on it (then the later stages choose): on a 1,000-activity project with
four nested milestones the latest-finish-time schedule ended 2 % sooner than the one built
milestone by milestone, whose first milestones came three times sooner; the solver then
improves the first stage from the hint."""


FIRST_RATE = 0.1
"""The first milestone's own CP-SAT model gets ``improve * time_limit * FIRST_RATE``
deterministic seconds (on a generated 1,000-activity roadmap, 1 deterministic second took
it from 495 to 470 working days, 3 seconds to 455) and at most ``FIRST_SHARE`` of the
improvement's wall-clock share."""
FIRST_SHARE = 0.35
WINDOW_RATE = 0.25
"""Deterministic seconds per wall-clock second that CP-SAT counts on the small window models
(measured on this project's 1,000-activity roadmaps, one worker): the window search's
deterministic budget is scaled by it, so that it ends near its wall-clock share."""


def map_status(status: Any) -> SolveStatus:
    """The one place where CP-SAT's status becomes the engine's :class:`SolveStatus`."""
    return {
        cp_model.OPTIMAL: SolveStatus.OPTIMAL,
        cp_model.FEASIBLE: SolveStatus.FEASIBLE,
        cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
        cp_model.MODEL_INVALID: SolveStatus.INVALID,
    }.get(status, SolveStatus.UNKNOWN)


def solve(
    project: Project,
    objectives: Sequence[Objective] = (Objective("makespan"),),
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    deterministic: bool = True,
    hint: Schedule | None = None,
    log: bool = False,
    wall_limit: float | None = None,
    improve: float = 0.0,
    preprocess: bool = True,
    **params: Any,
) -> Result:
    """Schedule ``project``, minimising ``objectives`` lexicographically.

    Each stage is solved in turn; its value (recomputed from the schedule) then caps its
    expression for the next stages, which start from the previous solution as a hint.
    ``hint`` (else a greedy schedule, when it is feasible) warm-starts the first stage.
    Extra keyword arguments are set on ``CpSolver.parameters`` as they are.

    Time: the stages share ``time_limit`` (deterministic seconds when ``deterministic``,
    else wall-clock seconds): the first stage gets twice the share of each later one, and
    what a stage leaves unused carries over to the next. ``wall_limit`` (wall-clock seconds)
    bounds the whole call, everything included (the warm start, the model, every stage): the
    stages share what is left of it after the warm start and the model, in the same
    proportions. With both, the deterministic budget ends the stages on a machine that is
    not overloaded, so the result is the same byte for byte; on an overloaded machine the
    wall clock ends them first, and the result may then vary from run to run.

    ``improve``: the share of both limits first spent improving the checked warm start with
    smaller CP-SAT models (:mod:`planner.engine.cpsat_windows`; for projects too large for
    the whole model to move from its hint): the first milestone's work planned alone
    (``FIRST_SHARE`` of it, ``FIRST_RATE``), then window by window along time
    (``WINDOW_RATE``); the stages share the rest.

    When the first stage runs out of time before CP-SAT's first solution, the warm start
    that passed the checker stands in for it (``unproven_fallback``; no bound) and the later
    stages start from it.

    No objectives at all means the makespan.

    ``preprocess``: when every stage is the makespan, solve the project reduced by
    :func:`planner.engine.preprocess.reduce_project` (non-executable and inefficient modes,
    redundant budgets; the optimal makespan is the same) and map its schedule back to the
    original mode indices. Other objectives are never reduced.

    Raises :class:`ProjectError` when ``validate_project`` finds problems or an objective
    names an unknown milestone or budget.
    """
    objectives = tuple(objectives) or (Objective("makespan"),)
    _validate(project, objectives)
    reduction = reduce_project(project, objectives) if preprocess else None
    if reduction is not None:
        return _solve_reduced(
            reduction,
            objectives,
            hint,
            dict(
                time_limit=time_limit,
                workers=workers,
                deterministic=deterministic,
                log=log,
                wall_limit=wall_limit,
                improve=improve,
                **params,
            ),
        )
    clock = time.perf_counter()
    horizon, hint, checked = _horizon_and_hint(project, objectives, hint)
    remaining = time_limit
    if improve > 0 and checked is not None:
        from planner.engine.cpsat_windows import first_milestone_first, improve_by_windows

        wall = None if wall_limit is None else wall_limit * improve * FIRST_SHARE
        alone = first_milestone_first(
            project, checked, objectives, budget=time_limit * improve * FIRST_RATE, wall=wall
        )
        if alone is not None:
            tie = any(o.kind == "milestones" for o in objectives)
            checked = _best_warm_start(project, objectives, [checked, alone], tie=tie)
            assert checked is not None
        stop = None if wall_limit is None else clock + wall_limit * improve
        budget = time_limit * improve * WINDOW_RATE * (1 - FIRST_SHARE)
        checked, _ = improve_by_windows(project, checked, objectives, budget=budget, stop=stop)
        hint = checked
        remaining = time_limit * (1 - improve)
        if project.horizon is None and objectives[0].kind == "makespan":
            horizon = min(horizon, checked.makespan(project))
    built = build_model(project, objectives, horizon)
    if hint is not None:
        _hint_schedule(built, hint)

    deadline = clock + wall_limit if wall_limit is not None else None
    weights = [2.0] + [1.0] * (len(objectives) - 1)
    floor = min(0.5, time_limit * 0.05)
    schedule: Schedule | None = None
    fallback = False
    stages: list[StageResult] = []
    for k, objective in enumerate(objectives):
        expr = built.objectives[k]
        built.model.minimize(expr)
        part = weights[k] / sum(weights[k:])
        share = max(remaining * part, floor)
        wall = None if deadline is None else max((deadline - time.perf_counter()) * part, 0.01)
        solver = _solver(share, workers, deterministic, log, params, wall=wall)
        status = map_status(solver.solve(built.model))
        used = solver.deterministic_time if deterministic else solver.wall_time
        remaining = max(remaining - used, 0.0)
        if status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            schedule = _extract(built, project, solver)
            bound: int | None = math.ceil(solver.best_objective_bound - 1e-6)
            _rehint(built, solver)
        elif schedule is None and status is SolveStatus.UNKNOWN and checked is not None:
            # time ran out before CP-SAT's first solution: keep the checked warm start,
            # unproven, rather than lose a schedule we already had
            schedule, fallback, bound = checked, True, None
        elif schedule is None:  # the first stage found nothing: stop here
            stages.append(StageResult(objective, status, None, None, solver.wall_time))
            break
        else:  # keep the previous stage's schedule, which is still feasible
            bound = None
        value = objective_value(project, schedule, objective)
        if bound is not None and value <= bound:
            status = SolveStatus.OPTIMAL
        stages.append(StageResult(objective, status, value, bound, solver.wall_time))
        built.model.add(expr <= value)
    return Result(
        status=_overall(stages, schedule),
        schedule=schedule,
        stages=tuple(stages),
        seconds=time.perf_counter() - clock,
        horizon=horizon,
        unproven_fallback=fallback,
    )


def _solve_reduced(
    reduction: Reduction,
    objectives: Sequence[Objective],
    hint: Schedule | None,
    options: dict[str, Any],
) -> Result:
    """Solve the reduced project; its schedule back in the original mode indices."""
    clock = time.perf_counter()
    mapped = reduction.to_reduced(hint) if hint is not None else None
    result = solve(reduction.project, objectives, hint=mapped, preprocess=False, **options)
    schedule = result.schedule
    return replace(
        result,
        schedule=reduction.to_original(schedule) if schedule is not None else None,
        seconds=time.perf_counter() - clock,
    )


def _validate(project: Project, objectives: Sequence[Objective]) -> None:
    problems = validate_project(project)
    for i, o in enumerate(objectives):
        if o.kind not in OBJECTIVE_KINDS:
            problems.append(f"objectives[{i}]: unknown kind {o.kind!r}")
        known = (
            project.milestone
            if o.kind == "milestones"
            else project.budget
            if o.kind == "consumption"
            else {}
        )
        for t in o.targets:
            if t not in known:
                problems.append(f"objectives[{i}]: unknown {o.kind} target {t!r}")
    if problems:
        raise ProjectError(problems)


def _horizon_and_hint(
    project: Project, objectives: Sequence[Objective], hint: Schedule | None
) -> tuple[int, Schedule | None, Schedule | None]:
    """The horizon, a starting schedule, and that schedule when it passed the checker.

    The project's own horizon wins. Otherwise a safe horizon, tightened to the greedy
    schedule's makespan when that schedule is feasible and the first stage is the makespan
    (no better schedule can end later).
    """
    feasible = hint if hint is not None and not check_schedule(project, hint) else None
    horizon = project.horizon if project.horizon is not None else safe_horizon(project)
    if feasible is None:
        candidates = [improved_greedy(project, horizon=horizon)]
        staged = [t for o in objectives if o.kind == "milestones" for t in o.targets]
        if staged:  # milestone stages: built in order; and modes spread over the resources
            candidates.append(staged_greedy(project, staged, horizon=horizon))
            candidates.append(staged_greedy(project, (), horizon=horizon))
        checked = [c for c in candidates if c is not None and not check_schedule(project, c)]
        feasible = _best_warm_start(project, objectives, checked, tie=bool(staged))
    if feasible is not None and project.horizon is None and objectives[0].kind == "makespan":
        horizon = feasible.makespan(project)
    return horizon, feasible if feasible is not None else hint, feasible


def _best_warm_start(
    project: Project, objectives: Sequence[Objective], checked: list[Schedule], *, tie: bool
) -> Schedule | None:
    """The lexicographically best of checked schedules; with ``tie`` (milestone stages),
    first-stage values within WARM_TIE of the best one count as a tie."""
    values = [tuple(objective_value(project, c, o) for o in objectives) for c in checked]
    if values and tie:
        # warm starts are heuristics: a first-stage value within WARM_TIE of the best
        # one counts as a tie, so that the later stages (the milestones) decide
        best = min(v[0] for v in values)
        values = [(0 if v[0] <= best * (1 + WARM_TIE) else 1, *v[1:], v[0]) for v in values]
    return checked[values.index(min(values))] if checked else None


def _solver(
    seconds: float,
    workers: int,
    deterministic: bool,
    log: bool,
    params: dict[str, Any],
    *,
    wall: float | None = None,
) -> cp_model.CpSolver:
    """A solver stopping at ``seconds`` (deterministic or wall-clock) and, in any case, at
    ``wall`` wall-clock seconds."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(workers, 1)
    p.random_seed = SEED
    if deterministic:
        p.max_deterministic_time = seconds
        p.interleave_search = workers > 1
        if wall is not None:
            p.max_time_in_seconds = wall
    else:
        p.max_time_in_seconds = seconds if wall is None else min(seconds, wall)
    p.log_search_progress = log
    for key, value in params.items():
        if isinstance(value, list | tuple):  # repeated fields, e.g. subsolvers
            getattr(p, key).extend(value)
        else:
            setattr(p, key, value)
    return solver


def _hint_schedule(built: Model, schedule: Schedule) -> None:
    """Hint starts and mode choices (CP-SAT completes the rest)."""
    for a_id, start in built.start.items():
        if a_id in schedule.starts:
            built.model.add_hint(start, schedule.starts[a_id])
            lits = built.present[a_id]
            for i, lit in lits.items():
                if len(lits) > 1:
                    built.model.add_hint(lit, i == schedule.modes[a_id])


def _rehint(built: Model, solver: cp_model.CpSolver) -> None:
    """Hint every variable with the value of the solver's last solution."""
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(built.model.proto.variables)):
        var = built.model.get_int_var_from_proto_index(index)
        built.model.add_hint(var, solver.value(var))


def _extract(built: Model, project: Project, solver: cp_model.CpSolver) -> Schedule:
    starts = {a.id: int(solver.value(built.start[a.id])) for a in project.activities}
    modes = {
        a.id: next(i for i, lit in built.present[a.id].items() if solver.boolean_value(lit))
        for a in project.activities
    }
    return Schedule(starts=starts, modes=modes)


def _overall(stages: list[StageResult], schedule: Schedule | None) -> SolveStatus:
    if schedule is None:
        return stages[0].status if stages else SolveStatus.UNKNOWN
    if all(s.status is SolveStatus.OPTIMAL for s in stages):
        return SolveStatus.OPTIMAL
    return SolveStatus.FEASIBLE


def find_conflict(
    project: Project, *, time_limit: float, groups_to_keep: Sequence[Group] = ()
) -> tuple[SolveStatus, list[Group]]:
    """A minimal set of constraint groups that cannot hold together (for ``diagnose``).

    Every release, due, pin, milestone due, budget and capacity is guarded by one assumption
    literal; CP-SAT returns a sufficient subset, which is then shrunk one group at a time.
    One worker (assumptions need it, and it is deterministic); deterministic time limits.
    Returns ``(status, groups)``: ``INFEASIBLE`` with the conflict, or the status reached.
    """
    options = ModelOptions(assumptions=True, extra_capacity=True)
    built = build_model(project, (), safe_horizon(project), options)
    ordered = list(built.groups)
    per_try = time_limit / (len(ordered) + 2)

    def infeasible(active: list[Group]) -> tuple[SolveStatus, list[Group]]:
        built.model.clear_assumptions()
        built.model.add_assumptions([built.groups[g] for g in active])
        solver = _solver(max(per_try, 0.05), 1, True, False, {})
        status = map_status(solver.solve(built.model))
        if status is not SolveStatus.INFEASIBLE:
            return status, []
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return status, [g for g in active if built.groups[g].index in core]

    status, core = infeasible(ordered)
    if status is not SolveStatus.INFEASIBLE:
        return status, []
    for group in list(core):
        if group in groups_to_keep:
            continue
        trial = [g for g in core if g != group]
        if infeasible(trial)[0] is SolveStatus.INFEASIBLE:
            core = trial
    return SolveStatus.INFEASIBLE, core


def minimal_extra_capacity(
    project: Project, resources: Sequence[str], *, time_limit: float
) -> dict[str, int] | None:
    """The smallest total of extra units on ``resources`` (others as they are) that makes
    the project feasible, per resource; ``None`` when no amount suffices or time runs out."""
    built = build_model(project, (), safe_horizon(project), ModelOptions(extra_capacity=True))
    for r, extra in built.extra.items():
        if r not in resources:
            built.model.add(extra == 0)
    built.model.minimize(sum(built.extra[r] for r in resources if r in built.extra))
    solver = _solver(time_limit, 1, True, False, {})
    status = map_status(solver.solve(built.model))
    if status is not SolveStatus.OPTIMAL:
        return None
    return {r: int(solver.value(built.extra[r])) for r in resources if r in built.extra}
