"""Make a plan: frame the roadmap, solve it, check it, explain every item."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from planner import __version__
from planner.calendar import DAYS_PER_WEEK, WorkCalendar
from planner.catalog import StaffingOption
from planner.current_state import assessed_areas
from planner.engine import (
    EngineError,
    Project,
    Result,
    Schedule,
    SolveStatus,
    check_schedule,
    solve,
)
from planner.engine.explain import StartReason as EngineReason
from planner.engine.explain import explain_starts, resource_slack
from planner.errors import InfeasiblePlanError, PlannerError
from planner.plan import (
    PLAN_SCHEMA_VERSION,
    CapacityStep,
    DurationRange,
    Plan,
    PlannedItem,
    PlannedMilestone,
    PlannedPerson,
    PlannedStory,
    PlannedTeamChange,
    SolverReport,
    SprintLoad,
)
from planner.reasons import StartReason, reason_words
from planner.scheduling.people import GROUP_PREFIX
from planner.scheduling.roadmap import Roadmap, frame_roadmap
from planner.scheduling.staffed import (
    named_people,
    people_busy,
    people_capacity,
    people_loads,
    sprint_load,
)
from planner.workspace import Workspace

DEFAULT_TIME_LIMIT = 10.0
DEFAULT_WORKERS = 1
DETERMINISTIC_SHARE = 0.5
"""``--time-limit`` is wall-clock seconds for the whole solve (warm start, model, every
stage). The stages also stop at this share of it counted in CP-SAT's deterministic time,
which ends them first on a machine that is not overloaded: the plan is then the same byte
for byte. Of what is left, the first stage (the target date) gets two parts and each later
stage (each lower level, then cost, then the start tie-break) one; time a stage leaves
unused carries over."""
# Measured on the built-in catalog: with one worker and no LP relaxation, CP-SAT proves
# these small disjunctive stages several times faster than an interleaved portfolio.
LARGE_PLAN = 200
"""Above this many capabilities the LP relaxation pays for itself: it gives the bound that
makes the reported gap meaningful (measured on a generated 1,000-capability portfolio)."""


WINDOW_SHARE = 0.8
"""Above ``LARGE_PLAN`` capabilities, this share of ``--time-limit`` (wall-clock and
deterministic alike) goes to improving the warm start window by window with small CP-SAT
models before the whole model's stages (which at that size rarely move from their hint)."""


def linearization_level(activities: int) -> int:
    """CP-SAT's LP level for a roadmap of this many activities (see ``LARGE_PLAN``)."""
    return 0 if activities <= LARGE_PLAN else 1


def window_share(activities: int) -> float:
    """The share of the time limits spent on the window search (see ``WINDOW_SHARE``)."""
    return 0.0 if activities <= LARGE_PLAN else WINDOW_SHARE


def inputs_digest(workspace: Workspace) -> str:
    """sha256 of the engagement and catalog as data (not of file bytes or paths)."""
    payload = {"engagement": _plain(workspace.engagement), "catalog": _plain(workspace.catalog)}
    payload["engagement"].pop("source", None)
    team = payload["engagement"]["team"]
    if not workspace.engagement.team.people:  # the same digest as before names existed
        team.pop("people", None)
    for change in team.get("changes", []):
        if change.get("person") is None:
            change.pop("person", None)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "origins"
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def solve_roadmap(
    workspace: Workspace, roadmap: Roadmap, *, time_limit: float, workers: int
) -> Result:
    """Solve a framed roadmap; a result without a schedule becomes an explained error.

    Raises :class:`InfeasiblePlanError` with what conflicts and what would make it possible,
    and :class:`PlannerError` if the schedule ever failed the engine's own checker.
    """
    try:
        result = solve(
            roadmap.project,
            roadmap.objectives,
            time_limit=time_limit * DETERMINISTIC_SHARE,
            wall_limit=time_limit,
            workers=workers,
            linearization_level=linearization_level(len(roadmap.project.activities)),
            improve=window_share(len(roadmap.project.activities)),
        )
    except EngineError as exc:  # never expected: the roadmap is framed from valid inputs
        raise PlannerError(f"the roadmap could not be scheduled: {exc}") from None
    if result.schedule is None:
        if result.status is SolveStatus.INFEASIBLE:
            from planner.scheduling.infeasible import explain_infeasible

            raise InfeasiblePlanError(explain_infeasible(workspace, roadmap, time_limit, workers))
        raise InfeasiblePlanError(
            f"no plan found within {time_limit:g} s (solver status: {result.status}); "
            "try a longer --time-limit"
        )
    violations = check_schedule(roadmap.project, result.schedule)
    if violations:  # never expected: the checker is independent of the solver
        raise PlannerError(
            "the solver returned a plan that fails the checker: "
            + "; ".join(str(v) for v in violations[:5])
        )
    return result


def make_plan(
    workspace: Workspace,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_WORKERS,
) -> Plan:
    """Solve the workspace's roadmap and return the explained plan.

    Raises :class:`InfeasiblePlanError` with what conflicts and what would make it possible.
    """
    roadmap = frame_roadmap(workspace)
    result = solve_roadmap(workspace, roadmap, time_limit=time_limit, workers=workers)
    return build_plan(workspace, roadmap, result, time_limit=time_limit, workers=workers)


def start_reason(
    reason: EngineReason, roadmap: Roadmap, schedule: Schedule, workspace: Workspace
) -> StartReason:
    """The engine's reason for a start, in the domain's terms (as data)."""
    calendar, project = roadmap.calendar, roadmap.project
    if reason.kind == "pinned":
        return StartReason("pinned")
    if reason.kind == "precedence" and reason.activity:
        end = calendar.end_date(schedule.end(reason.activity, project))
        return StartReason("prerequisite", capability=reason.activity, day=end, lag_days=reason.lag)
    if reason.kind == "release":
        return StartReason("not-before")
    if reason.kind == "origin":
        return StartReason("origin")
    if reason.kind == "resource" and reason.resource and reason.time is not None:
        if reason.resource.startswith(GROUP_PREFIX):
            return people_busy(reason, roadmap, schedule, workspace)
        role = reason.resource
        title = workspace.catalog.roles.get(role, role)
        day = calendar.to_date(reason.time)
        if reason.capacity < reason.need:
            assert reason.until is not None
            return StartReason(
                "role-absent" if reason.capacity == 0 else "role-short",
                role=role,
                role_title=title,
                day=day,
                until=calendar.to_date(reason.until),
                needed=reason.need,
                available=reason.capacity,
            )
        held = sum(
            project.activity[h].modes[schedule.modes[h]].demands.get(role, 0)
            for h in reason.holders
        )
        return StartReason(
            "role-busy",
            role=role,
            role_title=title,
            day=day,
            needed=reason.need,
            available=reason.capacity - held,
            busy_on=tuple(sorted(reason.holders)),
            until=calendar.to_date(reason.time + 1),
        )
    return StartReason("choice")


def _sprint_loads(roadmap: Roadmap, schedule: Schedule, end_day: int) -> tuple[SprintLoad, ...]:
    calendar, project = roadmap.calendar, roadmap.project
    days = calendar.sprint_days
    loads = []
    for sprint in range(1, calendar.sprint_of(max(end_day - 1, 0)) + 1):
        first = calendar.sprint_start(sprint)
        busy: dict[str, float] = {r.id: 0.0 for r in project.resources}
        active: list[str] = []
        for activity in project.activities:
            start, finish = schedule.starts[activity.id], schedule.end(activity.id, project)
            overlap = min(finish, first + days) - max(start, first)
            if overlap <= 0:
                continue
            active.append(activity.id)
            for role, people in activity.modes[schedule.modes[activity.id]].demands.items():
                busy[role] += people * overlap / days
        available = {
            r.id: sum(r.capacity_at(t) for t in range(first, first + days)) / days
            for r in project.resources
        }
        loads.append(sprint_load(sprint, calendar.to_date(first), busy, available, active))
    return tuple(loads)


def build_plan(
    workspace: Workspace, roadmap: Roadmap, result: Result, *, time_limit: float, workers: int
) -> Plan:
    """Turn the engine's schedule into the domain's plan, with every explanation."""
    schedule = result.schedule
    assert schedule is not None
    project: Project = roadmap.project
    calendar: WorkCalendar = roadmap.calendar
    engagement, catalog, gap = workspace.engagement, workspace.catalog, roadmap.gap
    reasons = explain_starts(project, schedule)
    why = {a: start_reason(r, roadmap, schedule, workspace) for a, r in reasons.items()}
    floats = resource_slack(project, schedule)
    overall = sorted((s for s in gap.milestones if s.area is None), key=lambda s: s.level)
    names = named_people(roadmap, schedule)
    items = []
    for gap_item in gap.items:
        cap = gap_item.capability
        mode = roadmap.option_of(cap.id, schedule.modes[cap.id])
        efficiency = roadmap.efficiency_of(cap.id, schedule.modes[cap.id])
        start, end = schedule.starts[cap.id], schedule.end(cap.id, project)
        cost = roadmap.costs[cap.id][schedule.modes[cap.id]]
        waits = tuple(
            p.before
            for p in project.predecessors[cap.id]
            if schedule.end(p.before, project) + p.lag == start
        )
        items.append(
            PlannedItem(
                id=cap.id,
                title=cap.title,
                area=cap.area,
                level=cap.level,
                status=gap_item.status,
                remaining=gap_item.remaining,
                start=calendar.to_date(start),
                end=calendar.end_date(end),
                start_day=start,
                end_day=end,
                option=mode + 1,
                people=dict(sorted(cap.effort[mode].people.items())),
                weeks=round((end - start) / DAYS_PER_WEEK, 2),
                person_days=round(cost.person_days, 2),
                cost=round(cost.cost, 2),
                sprint_start=calendar.sprint_of(start),
                sprint_end=calendar.sprint_of(end - 1),
                milestone=next((s.id for s in overall if cap.id in s.needs), None),
                why=gap_item.reasons,
                why_then=reason_words(why[cap.id]),
                start_reason=why[cap.id],
                waits_for=waits,
                slack_days=floats[cap.id],
                critical=floats[cap.id] == 0,
                requires=cap.prerequisite_ids,
                deliverables=tuple(cap.deliverables),
                success_criteria=tuple(cap.success_criteria),
                description=cap.description,
                stories=tuple(PlannedStory(s.title, s.description, s.id) for s in cap.stories),
                duration_range=_duration_range(
                    cap.effort[mode], gap_item.remaining, engagement.team.focus_factor * efficiency
                ),
                lags={p.before: p.lag for p in project.predecessors[cap.id]},
                earliest_day=_earliest_day(project, cap.id),
                assignees=names.get(cap.id, {}),
                efficiency=efficiency,
            )
        )
    items.sort(key=lambda i: (i.start_day, i.end_day, i.id))
    milestones = []
    deadline = engagement.constraints.deadline
    for scope in sorted(gap.milestones, key=lambda s: (s.level, s.area is not None, s.area or "")):
        day = max((schedule.end(a, project) for a in scope.needs), default=0)
        milestones.append(
            PlannedMilestone(
                id=scope.id,
                title=roadmap.milestone_titles[scope.id],
                level=scope.level,
                area=scope.area,
                date=calendar.end_date(day) if day else calendar.origin,
                day=day,
                capabilities=scope.needs,
                deadline=deadline
                if scope.area is None and scope.level == gap.target_overall
                else None,
            )
        )
    milestones.sort(key=lambda m: (m.day, m.level, m.area is not None, m.area or ""))
    end_day = max((i.end_day for i in items), default=0)
    first = result.stages[0] if result.stages else None
    return Plan(
        schema_version=PLAN_SCHEMA_VERSION,
        engagement=engagement.name,
        client=engagement.client,
        inputs_digest=inputs_digest(workspace),
        catalog=catalog.id,
        catalog_version=catalog.version,
        planner_version=__version__,
        start=calendar.origin,
        sprint_weeks=calendar.sprint_weeks,
        focus_factor=engagement.team.focus_factor,
        currency=engagement.team.currency,
        current_level=gap.current_overall,
        target_level=gap.target_overall,
        deadline=deadline,
        budget=engagement.constraints.budget,
        solver=SolverReport(
            status="unproven" if result.unproven_fallback else str(result.status),
            objective={
                _stage_name(s.objective.kind, s.objective.targets): s.value
                for s in result.stages
                if s.value is not None
            },
            bound=first.bound if first else None,
            gap_percent=round(result.gap_percent, 2) if result.gap_percent is not None else None,
            time_limit=time_limit,
            workers=workers,
        ),
        items=tuple(items),
        milestones=tuple(milestones),
        sprints=people_loads(roadmap, items, end_day)
        if roadmap.groups
        else _sprint_loads(roadmap, schedule, end_day),
        roles=dict(catalog.roles),
        areas=dict(catalog.areas),
        day_rates={r: s.day_rate for r, s in sorted(engagement.team.roles.items())},
        total_cost=round(sum(i.cost for i in items), 2),
        total_person_days=round(sum(i.person_days for i in items), 2),
        end=calendar.end_date(end_day) if end_day else calendar.origin,
        jira_project=(
            engagement.backlog_target.project if engagement.backlog_target.kind == "jira" else None
        ),
        roadmap_label=engagement.backlog_target.roadmap_label,
        notes=tuple(workspace.assessment.discrepancies),
        assessment=assessed_areas(
            catalog, workspace.assessment, engagement.current, gap.target_levels
        ),
        overlays=tuple(PurePath(o).name for o in engagement.catalog.overlays),
        team_changes=tuple(
            PlannedTeamChange(c.person or c.role, c.change, c.start, c.end, c.note, c.person)
            for c in engagement.team.changes
        ),
        capacity=people_capacity(roadmap)
        if roadmap.groups
        else {
            r.id: tuple(CapacityStep(day, people) for day, people in r.profile())
            for r in project.resources
        },
        people=tuple(
            PlannedPerson(p.name, p.roles, dict(p.efficiency), p.day_rate)
            for p in engagement.team.people
        ),
    )


def _duration_range(option: StaffingOption, remaining: float, focus: float) -> DurationRange:
    """The option's three points in working days on the calendar (as ``option_cost``)."""

    def days(weeks: float) -> float:
        return round(weeks * DAYS_PER_WEEK * remaining / focus, 6)

    return DurationRange(days(option.low), days(option.weeks), days(option.high))


def _earliest_day(project: Project, activity_id: str) -> int:
    activity = project.activity[activity_id]
    if activity.fixed_start is not None:
        return activity.fixed_start
    return max(activity.release, 0)


def _stage_name(kind: str, targets: tuple[str, ...]) -> str:
    if kind == "makespan":
        return "target date (working day)"
    if kind == "milestones":
        return "sum of milestone days: " + ", ".join(targets)
    if kind == "consumption":
        return "cost"
    return kind
