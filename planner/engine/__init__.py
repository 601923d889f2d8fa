"""A generic multi-mode resource-constrained project scheduling engine.

Describe the project with the frozen dataclasses of :mod:`planner.engine.project`, then
solve it (CP-SAT, imported only when :func:`solve` is first called, so importing this package
stays fast)::

    from planner.engine import Activity, Mode, Objective, Precedence, Project, Resource, solve
    from planner.engine import check_schedule

    project = Project(
        activities=(
            Activity("design", (Mode(3, {"dev": 1}),)),
            Activity("build", (Mode(5, {"dev": 2}), Mode(8, {"dev": 1}))),
        ),
        resources=(Resource("dev", 2, steps=((10, 1),)),),  # one developer leaves at 10
        precedences=(Precedence("design", "build"),),
    )
    result = solve(project, (Objective("makespan"), Objective("starts")), time_limit=5)
    assert result.schedule is not None and not check_schedule(project, result.schedule)

Other entry points: :func:`validate_project` (structural problems), :func:`greedy_schedule`
(a fast heuristic), :func:`explain_starts` / :func:`slack` (why a start, how much float) and
:func:`diagnose` (what conflicts in an infeasible project, and what would lift it).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from planner.engine.check import Violation, check_schedule
from planner.engine.diagnose import Diagnosis
from planner.engine.errors import EngineError
from planner.engine.explain import StartReason, explain_starts, slack
from planner.engine.greedy import greedy_schedule
from planner.engine.project import (
    Activity,
    Budget,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    ProjectError,
    Resource,
    Schedule,
    objective_value,
)
from planner.engine.result import Result, SolveStatus, StageResult
from planner.engine.validate import validate_project

__all__ = [
    "Activity",
    "Budget",
    "Diagnosis",
    "EngineError",
    "Milestone",
    "Mode",
    "Objective",
    "Precedence",
    "Project",
    "ProjectError",
    "Resource",
    "Result",
    "Schedule",
    "SolveStatus",
    "StageResult",
    "StartReason",
    "Violation",
    "check_schedule",
    "diagnose",
    "explain_starts",
    "greedy_schedule",
    "objective_value",
    "slack",
    "solve",
    "validate_project",
]


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
    """Solve ``project`` with CP-SAT; see :func:`planner.engine.cpsat.solve`."""
    from planner.engine import cpsat

    return cpsat.solve(
        project,
        objectives,
        time_limit=time_limit,
        workers=workers,
        deterministic=deterministic,
        hint=hint,
        log=log,
        wall_limit=wall_limit,
        improve=improve,
        preprocess=preprocess,
        **params,
    )


def diagnose(project: Project, *, time_limit: float = 10.0, workers: int = 1) -> Diagnosis:
    """Explain an infeasible project; see :func:`planner.engine.diagnose.diagnose`."""
    module = importlib.import_module("planner.engine.diagnose")
    diagnosis: Diagnosis = module.diagnose(project, time_limit=time_limit, workers=workers)
    return diagnosis
