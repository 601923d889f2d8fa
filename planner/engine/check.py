"""An independent schedule checker: pure Python, no solver.

Every schedule the engine returns can be verified here against every hard constraint of its
project, and against the objective values the solver claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.engine.project import Objective, Project, Schedule, objective_value


@dataclass(frozen=True)
class Violation:
    """One broken constraint; ``message`` names the activity, resource or time."""

    kind: str
    """``missing``, ``mode``, ``pinned``, ``release``, ``due``, ``precedence``, ``capacity``,
    ``budget``, ``milestone-due``, ``horizon`` or ``objective``."""
    subject: str
    """The activity, resource, budget, milestone or objective concerned."""
    message: str

    def __str__(self) -> str:
        return self.message


def check_schedule(
    project: Project,
    schedule: Schedule,
    objectives: Sequence[Objective] = (),
    claimed: Mapping[str, int] | None = None,
) -> list[Violation]:
    """Every violated constraint of ``schedule`` for ``project`` (empty when feasible).

    ``claimed`` maps objective kinds (as in ``objectives``) to values the solver reported;
    each must equal the value recomputed from the schedule.
    """
    out: list[Violation] = []
    ok = _check_activities(project, schedule, out)
    if not ok:
        return out
    _check_precedences(project, schedule, out)
    for resource in project.resources:
        _check_capacity(project, schedule, resource.id, out)
    for budget in project.budgets:
        used = schedule.consumption(budget.id, project)
        if used > budget.capacity:
            out.append(
                Violation(
                    "budget",
                    budget.id,
                    f"budget {budget.id!r}: {used} consumed, capacity is {budget.capacity}",
                )
            )
    for milestone in project.milestones:
        date = schedule.milestone_date(milestone.id, project)
        if milestone.due is not None and date > milestone.due:
            out.append(
                Violation(
                    "milestone-due",
                    milestone.id,
                    f"milestone {milestone.id!r}: reached at {date}, due {milestone.due}",
                )
            )
    if claimed is not None:
        for objective in objectives:
            if objective.kind not in claimed:
                continue
            actual = objective_value(project, schedule, objective)
            if actual != claimed[objective.kind]:
                out.append(
                    Violation(
                        "objective",
                        objective.kind,
                        f"objective {objective.kind!r}: claimed {claimed[objective.kind]}, "
                        f"schedule gives {actual}",
                    )
                )
    return out


def _check_activities(project: Project, schedule: Schedule, out: list[Violation]) -> bool:
    known = {a.id for a in project.activities}
    for extra in sorted(set(schedule.starts) - known):
        out.append(Violation("missing", extra, f"activity {extra!r}: not in the project"))
    complete = True
    for a in project.activities:
        if a.id not in schedule.starts or a.id not in schedule.modes:
            out.append(Violation("missing", a.id, f"activity {a.id!r}: not scheduled"))
            complete = False
            continue
        start, mode = schedule.starts[a.id], schedule.modes[a.id]
        if not 0 <= mode < len(a.modes):
            out.append(Violation("mode", a.id, f"activity {a.id!r}: no mode {mode}"))
            complete = False
            continue
        if a.fixed_mode is not None and mode != a.fixed_mode:
            out.append(
                Violation("pinned", a.id, f"activity {a.id!r}: mode {mode}, pinned {a.fixed_mode}")
            )
        if a.fixed_start is not None and start != a.fixed_start:
            out.append(
                Violation(
                    "pinned", a.id, f"activity {a.id!r}: starts at {start}, pinned {a.fixed_start}"
                )
            )
        if start < max(a.release, 0):
            out.append(
                Violation(
                    "release",
                    a.id,
                    f"activity {a.id!r}: starts at {start}, before its release {a.release}",
                )
            )
        end = start + a.modes[mode].duration
        if a.due is not None and end > a.due:
            out.append(Violation("due", a.id, f"activity {a.id!r}: ends at {end}, due {a.due}"))
        if project.horizon is not None and end > project.horizon:
            out.append(
                Violation(
                    "horizon",
                    a.id,
                    f"activity {a.id!r}: ends at {end}, after the horizon {project.horizon}",
                )
            )
    return complete


def _check_precedences(project: Project, schedule: Schedule, out: list[Violation]) -> None:
    for p in project.precedences:
        earliest = schedule.end(p.before, project) + p.lag
        if schedule.starts[p.after] < earliest:
            lag = f" + lag {p.lag}" if p.lag else ""
            out.append(
                Violation(
                    "precedence",
                    p.after,
                    f"activity {p.after!r}: starts at {schedule.starts[p.after]}, before "
                    f"{p.before!r} ends{lag} at {earliest}",
                )
            )


def _check_capacity(
    project: Project, schedule: Schedule, resource_id: str, out: list[Violation]
) -> None:
    """Sweep the usage and capacity breakpoints; report each maximal overloaded stretch."""
    resource = project.resource[resource_id]
    delta: dict[int, int] = {}
    holders: list[tuple[int, int, str]] = []
    for a in project.activities:
        mode = a.modes[schedule.modes[a.id]]
        units = mode.demands.get(resource_id, 0)
        if units == 0 or mode.duration == 0:
            continue
        start = schedule.starts[a.id]
        delta[start] = delta.get(start, 0) + units
        delta[start + mode.duration] = delta.get(start + mode.duration, 0) - units
        holders.append((start, start + mode.duration, a.id))
    times = sorted(set(delta) | {t for t, _ in resource.profile()})
    usage = 0
    overloaded_since: int | None = None
    for i, t in enumerate(times):
        usage += delta.get(t, 0)
        capacity = resource.capacity_at(t)
        if usage > capacity and overloaded_since is None and i + 1 < len(times):
            overloaded_since = t
            at = [h for s, e, h in holders if s <= t < e]
            out.append(
                Violation(
                    "capacity",
                    resource_id,
                    f"resource {resource_id!r}: {usage} units used at time {t}, capacity is "
                    f"{capacity} (activities {', '.join(repr(h) for h in at)})",
                )
            )
        elif usage <= capacity:
            overloaded_since = None
