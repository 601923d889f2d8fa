"""What makes a project infeasible, and what would lift it.

Cheap checks run first without the solver (an activity that no capacity can ever host, a
release or a precedence chain that leaves no room before a due, cheapest modes over a
budget). Then CP-SAT names a minimal set of conflicting constraint groups (assumptions) and
measures relaxations: the dates dues could be met by, the extra capacity and the budgets
that would be enough. All solves are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from planner.engine.graph import earliest_starts, effective_dues
from planner.engine.project import Budget, Milestone, Objective, Project, ProjectError
from planner.engine.result import SolveStatus
from planner.engine.validate import validate_project

Group = tuple[str, str]
"""``("due", activity)``, ``("milestone-due", milestone)``, ``("capacity", resource)``,
``("budget", budget)``, ``("release", activity)`` or ``("pinned", activity)``."""


@dataclass(frozen=True)
class Diagnosis:
    """The answer of :func:`diagnose`.

    ``feasible`` is True when a schedule exists after all (then nothing else is filled in).
    ``trivial``: impossibilities found without the solver, as messages. ``conflicts``: a
    minimal set of groups that cannot all hold. ``earliest``: for each due (activity or
    milestone) missed when dues are dropped, the earliest date reached in a schedule that
    minimises the sum of those dates. ``extra_capacity``: the smallest total of extra units
    over all resources that makes the project feasible (``None``: no amount does);
    ``extra_capacity_alone``: per resource, the extra units that suffice when only that
    resource grows (``None``: no amount of it alone suffices). ``budget_needed``: per budget,
    the smallest capacity that suffices with everything else as it is (``None``: none does).
    """

    feasible: bool
    trivial: tuple[str, ...] = ()
    conflicts: tuple[Group, ...] = ()
    earliest: dict[Group, int] = field(default_factory=dict)
    extra_capacity: dict[str, int] | None = None
    extra_capacity_alone: dict[str, int | None] = field(default_factory=dict)
    budget_needed: dict[str, int | None] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.feasible:
            return "feasible: nothing to diagnose"
        lines = ["infeasible"]
        lines += [f"  {t}" for t in self.trivial]
        if self.conflicts:
            lines.append("  conflicting: " + ", ".join(f"{k} {s!r}" for k, s in self.conflicts))
        for (kind, subject), date in self.earliest.items():
            lines.append(f"  {kind} {subject!r}: earliest {date}")
        if self.extra_capacity:
            extra = ", ".join(f"+{u} {r!r}" for r, u in self.extra_capacity.items() if u)
            lines.append(f"  enough extra capacity: {extra}")
        for b, need in self.budget_needed.items():
            lines.append(f"  budget {b!r} needed: {need if need is not None else 'no amount'}")
        return "\n".join(lines)


def trivial_problems(project: Project) -> list[tuple[str, tuple[Group, ...]]]:
    """Impossibilities visible without search, with the groups involved."""
    out: list[tuple[str, tuple[Group, ...]]] = []
    for a in project.activities:
        for r in project.resources:
            needs = [a.modes[m].demands.get(r.id, 0) for m in a.allowed_modes]
            if all(n > r.max_capacity for n in needs):
                out.append(
                    (
                        f"activity {a.id!r} needs {min(needs)} of {r.id!r}, which never has "
                        f"more than {r.max_capacity}",
                        (("capacity", r.id),),
                    )
                )
    dues = effective_dues(project)
    early = earliest_starts(project)
    for a in project.activities:
        due = dues.get(a.id)
        if due is None or early[a.id] + a.min_duration <= due:
            continue
        start = early[a.id]
        if start == max(a.release, a.fixed_start or 0) and not project.predecessors[a.id]:
            why: Group = ("pinned", a.id) if a.fixed_start is not None else ("release", a.id)
            text = f"activity {a.id!r} cannot end by {due}: it starts at {start} at the earliest"
        else:
            why = ("precedence", a.id)
            text = (
                f"activity {a.id!r} cannot end by {due}: its prerequisites let it start at "
                f"{start} at the earliest"
            )
        group: Group = ("due", a.id) if a.due == due else _milestone_of(project, a.id, due)
        out.append((text + f" and it takes {a.min_duration}", (why, group)))
    for b in project.budgets:
        least = sum(
            min(a.modes[m].consumption.get(b.id, 0) for m in a.allowed_modes)
            for a in project.activities
        )
        if least > b.capacity:
            out.append(
                (
                    f"budget {b.id!r}: the cheapest modes consume {least}, over {b.capacity}",
                    (("budget", b.id),),
                )
            )
    return out


def _milestone_of(project: Project, activity_id: str, due: int) -> Group:
    for ms in project.milestones:
        if ms.due == due and activity_id in ms.activities:
            return ("milestone-due", ms.id)
    return ("due", activity_id)


def diagnose(project: Project, *, time_limit: float = 10.0, workers: int = 1) -> Diagnosis:
    """Explain why ``project`` has no schedule; see :class:`Diagnosis`.

    ``time_limit`` (deterministic seconds) is shared by the solves; ``workers`` serves the
    relaxation solves (the conflict search uses one worker, as assumptions require).
    """
    from planner.engine import cpsat

    problems = validate_project(project)
    if problems:
        raise ProjectError(problems)
    trivial = trivial_problems(project)
    status, conflicts = cpsat.find_conflict(project, time_limit=time_limit * 0.4)
    if not trivial and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Diagnosis(feasible=True)
    share = time_limit * 0.6 / 4
    resources = [r.id for r in project.resources]
    alone: dict[str, int | None] = {}
    for r in resources:
        found = cpsat.minimal_extra_capacity(project, [r], time_limit=share / len(resources))
        alone[r] = found[r] if found is not None else None
    return Diagnosis(
        feasible=False,
        trivial=tuple(text for text, _ in trivial),
        conflicts=tuple(conflicts),
        earliest=_earliest_dates(project, share, workers),
        extra_capacity=cpsat.minimal_extra_capacity(project, resources, time_limit=share),
        extra_capacity_alone=alone,
        budget_needed=_budgets_needed(project, share, workers),
    )


def _earliest_dates(project: Project, time_limit: float, workers: int) -> dict[Group, int]:
    """Dues dropped: minimise the sum of the dates that had dues; report the missed ones."""
    from planner.engine import cpsat

    watched: list[tuple[Group, Milestone, int]] = []
    for a in project.activities:
        if a.due is not None:
            watched.append((("due", a.id), Milestone(f"due {a.id}", (a.id,)), a.due))
    for ms in project.milestones:
        if ms.due is not None:
            watched.append(
                (("milestone-due", ms.id), replace(ms, id=f"ms {ms.id}", due=None), ms.due)
            )
    if not watched:
        return {}
    relaxed = replace(
        project,
        activities=tuple(replace(a, due=None) for a in project.activities),
        milestones=tuple(replace(ms, due=None) for ms in project.milestones)
        + tuple(ms for _, ms, _ in watched),
    )
    objective = Objective("milestones", tuple(ms.id for _, ms, _ in watched))
    result = cpsat.solve(relaxed, (objective,), time_limit=time_limit, workers=workers)
    if result.schedule is None:
        return {}
    out: dict[Group, int] = {}
    for group, ms, due in watched:
        date = result.schedule.milestone_date(ms.id, relaxed)
        if date > due:
            out[group] = date
    return out


def _budgets_needed(project: Project, time_limit: float, workers: int) -> dict[str, int | None]:
    """Per budget: lift it, then minimise its consumption with everything else kept."""
    from planner.engine import cpsat

    out: dict[str, int | None] = {}
    for b in project.budgets:
        ceiling = sum(max(m.consumption.get(b.id, 0) for m in a.modes) for a in project.activities)
        lifted = replace(
            project,
            budgets=tuple(
                Budget(x.id, max(ceiling, x.capacity)) if x.id == b.id else x
                for x in project.budgets
            ),
        )
        result = cpsat.solve(
            lifted,
            (Objective("consumption", (b.id,)),),
            time_limit=time_limit / max(len(project.budgets), 1),
            workers=workers,
        )
        value = result.stages[0].value if result.stages else None
        out[b.id] = value if result.schedule is not None else None
    return out
