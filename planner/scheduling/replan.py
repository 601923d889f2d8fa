"""Re-planning: a new plan from the previous plan, the reassessed engagement and a date.

The rules, in the order they are applied:

- **One calendar.** Days count from the previous plan's first day (the engagement's
  ``team.start`` is replaced by it), so working-day indices and sprint numbers of the two
  plans are comparable. ``today`` is working day ``calendar.to_index(today)``.
- **Done is history.** A capability of the previous plan that the reassessment
  (``current.capabilities``) marks done is kept in the new plan with the previous plan's
  dates, in state ``done``; the solver never sees it. So is one that was not reassessed
  (see below) and that the previous plan had finished by today: it is taken as done as
  planned, and the plan records it (``assumed_done``; answer ``partial`` with a
  ``remaining`` share if it is not).
- **Work in progress continues.** A capability that the previous plan started before today
  and that is not done is in progress: it keeps its staffing option, starts exactly today
  and lasts what is left of it. What is left is the reassessment's ``partial`` remaining
  share when it says one; otherwise (not reassessed: no answer, or the very answer the
  previous plan was made with) the share the calendar says is unfinished:
  ``remaining x (planned days - elapsed days) / planned days``, and at least one working
  day. A reassessed ``missing`` answer means the work has not really started: it is
  planned again, whole, from today.
  Having started, it is no longer held back by its prerequisites (they may still be in
  progress beside it).
- **Nothing new starts before today**: every other activity's release is at least today.
- **Stability.** Each capability of the previous plan that is planned again prefers its
  previous start (objective ``shift``) and its previous sprint (objective ``moved``). These
  stages come right after the main objectives (target date, then the lower levels) and
  before cost and the start tie-break: among the plans best on the main objectives, the one
  with the fewest capabilities moved to another sprint, then the smallest total shift.
  ``fresh=True`` drops these two stages: the previous plan's schedule is ignored as a
  preference; what is done and in progress is still taken from it, being a fact.
- **The gap decides what is in the plan**: capabilities that left the gap leave the plan,
  new ones enter (they have no preferred start).
- **Budget.** The engagement's budget covers the whole roadmap: the solver gets what is
  left of it after the work already spent (done items, and the finished share of items in
  progress). An item in progress costs its spent share plus its remaining share, so that a
  plan that went as planned costs the same after re-planning.

Progress read back from a tracker enters through :func:`with_progress` (a mapping
``{capability id: (status, remaining)}``), which overrides the engagement's answers, and
through ``started`` (``{capability id: whether the work has started}``): a fact that the
calendar gives way to. A capability reported started is in progress even if the previous
plan had not started it by today (elapsed days count from its planned start, never below
zero), one reported not started is planned again from today; neither is taken as done as
planned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from planner.assessment import assess
from planner.calendar import DAYS_PER_WEEK, WorkCalendar
from planner.engagement import CapabilityState, Status
from planner.engine import (
    Objective,
    Result,
)
from planner.errors import InfeasiblePlanError, UsageError
from planner.gap import Gap, GapItem, compute_gap
from planner.plan import AssumedDone, Plan, PlannedItem
from planner.reasons import StartReason, reason_words
from planner.scheduling.planning import (
    DEFAULT_TIME_LIMIT,
    DEFAULT_WORKERS,
    build_plan,
    solve_roadmap,
)
from planner.scheduling.roadmap import COST, Roadmap, frame_roadmap
from planner.workspace import Workspace

Progress = Mapping[str, tuple[Status, float | None]]
"""Progress overrides: capability id -> (status, remaining share or None)."""

Started = Mapping[str, bool]
"""Started work as a tracker reports it: capability id -> whether the work has started."""


@dataclass(frozen=True)
class InProgress:
    """A capability the previous plan started before today and that is not done."""

    previous: PlannedItem
    remaining: float
    """Share of the whole capability still to do (what the new activity lasts)."""
    spent_cost: float
    spent_person_days: float


@dataclass(frozen=True)
class ReplanFrame:
    """A re-plan framed for the engine, with what the new plan keeps from the previous one."""

    roadmap: Roadmap
    workspace: Workspace
    """The engagement as planned: previous plan's start, remaining shares of work in progress."""
    previous: Plan
    today: date
    today_index: int
    history: tuple[PlannedItem, ...]
    in_progress: Mapping[str, InProgress]
    fresh: bool
    releases: Mapping[str, int]
    """Each activity's release before re-planning (from constraints.not_before)."""
    assumed_done: tuple[str, ...] = ()
    """Unanswered capabilities the previous plan had finished by today: taken as done."""


@dataclass(frozen=True)
class Replan:
    """The new plan, and the workspace it must be checked against."""

    plan: Plan
    workspace: Workspace
    previous: Plan
    today: date
    fresh: bool


def parse_day(text: str, option: str = "--today") -> date:
    """A date written ``YYYY-MM-DD``; a clear usage error otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: expected a date like 2027-03-01, got {text!r}") from None


def with_progress(
    workspace: Workspace, progress: Progress, *, evidence: str = "progress read back"
) -> Workspace:
    """The workspace with per-capability progress overriding the engagement's answers.

    The seam for progress read back from a tracker: ``status`` is done, partial or missing;
    ``remaining`` (a share in (0, 1]) only counts for partial, 0.5 when None (as in the
    engagement file). The assessment and the gap are computed again.
    """
    states = dict(workspace.engagement.current.capabilities)
    for cap_id, (status, remaining) in sorted(progress.items()):
        if cap_id not in workspace.catalog:
            raise UsageError(f"progress for unknown capability {cap_id!r}")
        if status not in ("done", "partial", "missing"):
            raise UsageError(f"{cap_id}: status must be done, partial or missing, got {status!r}")
        state = CapabilityState.answered(status, remaining, evidence)
        if status == "partial" and not 0 < state.remaining <= 1:
            raise UsageError(f"{cap_id}: remaining must be in (0, 1], got {state.remaining}")
        states[cap_id] = state
    current = replace(workspace.engagement.current, capabilities=states)
    engagement = replace(workspace.engagement, current=current)
    assessment = assess(workspace.catalog, engagement.current)
    gap = compute_gap(workspace.catalog, assessment, engagement.target, engagement.source)
    return replace(workspace, engagement=engagement, assessment=assessment, gap=gap)


def _reassessed(item: PlannedItem, answers: Mapping[str, CapabilityState]) -> bool:
    """Whether the engagement answers for ``item`` otherwise than the previous plan used."""
    answer = answers.get(item.id)
    if answer is None:
        return False
    return answer.status != item.status or abs(answer.remaining - item.remaining) > 1e-9


def _remaining(item: PlannedItem, gap_item: GapItem, reassessed: bool, today: int) -> float:
    """What is left of an item in progress (see the module's docstring)."""
    if reassessed:
        return gap_item.remaining
    planned = max(item.end_day - item.start_day, 1)
    elapsed = max(today - item.start_day, 0)
    return item.remaining * max(planned - elapsed, 1) / planned


def frame_replan(
    workspace: Workspace,
    previous: Plan,
    today: date,
    *,
    fresh: bool = False,
    started: Started | None = None,
    hold_in_progress: bool = True,
) -> ReplanFrame:
    """Frame the re-plan for the engine: :func:`frame_roadmap`, then history, work in
    progress, releases, preferred starts and sprints, and the stability stages.

    Work in progress is pinned to today; with ``hold_in_progress=False`` it only may not
    start before today and prefers to (for a team too small to continue all of it at once).
    """
    if previous.catalog != workspace.catalog.id:
        raise UsageError(
            f"the previous plan was made with catalog '{previous.catalog}', the engagement "
            f"uses '{workspace.catalog.id}'; re-plan with the same catalog"
        )
    team = workspace.engagement.team
    calendar = WorkCalendar(previous.start, team.sprint_weeks)
    today_index = calendar.to_index(today)
    if today_index < 0:
        raise UsageError(f"--today {today} is before the previous plan's start {previous.start}")
    answered = workspace.engagement.current.capabilities
    reported = started or {}
    assumed = sorted(
        item.id
        for item in previous.items
        if item.state != "done"
        and item.end_day <= today_index
        and item.id in workspace.catalog
        and not _reassessed(item, answered)
        and item.id not in reported
        and workspace.assessment.states[item.id].status != "done"
    )
    if assumed:
        workspace = with_progress(
            workspace,
            {cid: ("done", None) for cid in assumed},
            evidence="assumed done: the previous plan had it finished by the re-plan date",
        )
    engagement = replace(workspace.engagement, team=replace(team, start=previous.start))
    states = workspace.assessment.states
    in_gap = {item.id: item for item in workspace.gap.items}
    history: list[PlannedItem] = []
    in_progress: dict[str, InProgress] = {}
    for item in previous.items:
        if item.id not in workspace.catalog:
            continue
        if states[item.id].status == "done":
            history.append(item)
            continue
        gap_item = in_gap.get(item.id)
        begun = reported.get(item.id)
        if begun is None:
            begun = item.state == "in-progress" or item.start_day < today_index
        if gap_item is None or not begun:
            continue
        reassessed = _reassessed(item, answered)
        if reassessed and gap_item.status == "missing":
            continue
        remaining = _remaining(item, gap_item, reassessed, today_index)
        spent = max(0.0, 1.0 - remaining / item.remaining) if item.remaining > 0 else 0.0
        in_progress[item.id] = InProgress(
            item, remaining, item.cost * spent, item.person_days * spent
        )
    gap = _with_remaining(workspace.gap, in_progress)
    planned = replace(workspace, engagement=engagement, gap=gap)
    roadmap = frame_roadmap(planned)
    releases = {a.id: a.release for a in roadmap.project.activities}
    before = {item.id: item for item in previous.items if item.state != "done"}
    sprint_days = previous.sprint_weeks * DAYS_PER_WEEK
    activities = []
    for activity in roadmap.project.activities:
        progress = in_progress.get(activity.id)
        if progress is not None:
            option = progress.previous.option - 1
            if activity.id in roadmap.staffing:  # named people: continued by the same ones
                option = roadmap.mode_of(activity.id, option, progress.previous.assignees)
            activity = replace(
                activity,
                release=today_index,
                fixed_start=today_index if hold_in_progress else None,
                fixed_mode=option if option < len(activity.modes) else activity.fixed_mode,
                preferred_start=None if hold_in_progress else today_index,
                preferred_window=None if hold_in_progress else (today_index, today_index + 1),
            )
        else:
            activity = replace(activity, release=max(activity.release, today_index))
            old = before.get(activity.id)
            if not fresh and old is not None:
                first = (old.sprint_start - 1) * sprint_days
                activity = replace(
                    activity,
                    preferred_start=old.start_day,
                    preferred_window=(first, first + sprint_days),
                )
        activities.append(activity)
    spent = sum(i.cost for i in history) + sum(p.spent_cost for p in in_progress.values())
    budgets = tuple(
        replace(b, capacity=max(0, b.capacity - round(spent)))
        if b.id == COST and engagement.constraints.budget is not None
        else b
        for b in roadmap.project.budgets
    )
    precedences = tuple(p for p in roadmap.project.precedences if p.after not in in_progress)
    project = replace(
        roadmap.project,
        activities=tuple(activities),
        precedences=precedences,
        budgets=budgets,
    )
    objectives = list(roadmap.objectives)
    if not fresh or not hold_in_progress:
        at = next(
            (i for i, o in enumerate(objectives) if o.kind in ("consumption", "starts")),
            len(objectives),
        )
        objectives[at:at] = [Objective("moved"), Objective("shift")]
    roadmap = replace(roadmap, project=project, objectives=tuple(objectives), calendar=calendar)
    return ReplanFrame(
        roadmap=roadmap,
        workspace=planned,
        previous=previous,
        today=today,
        today_index=today_index,
        history=tuple(history),
        in_progress=in_progress,
        fresh=fresh,
        releases=releases,
        assumed_done=tuple(assumed),
    )


def _with_remaining(gap: Gap, in_progress: Mapping[str, InProgress]) -> Gap:
    items = tuple(
        replace(item, status="partial", remaining=in_progress[item.id].remaining)
        if item.id in in_progress
        else item
        for item in gap.items
    )
    return replace(gap, items=items)


def replan(
    workspace: Workspace,
    previous: Plan,
    today: date,
    *,
    fresh: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = DEFAULT_WORKERS,
    started: Started | None = None,
) -> Replan:
    """Re-plan from ``previous`` on ``today``; see the module's docstring for the rules.

    Raises :class:`InfeasiblePlanError` with what conflicts and what would make it possible.
    """
    frame = frame_replan(workspace, previous, today, fresh=fresh, started=started)
    try:
        result = solve_roadmap(
            frame.workspace, frame.roadmap, time_limit=time_limit, workers=workers
        )
    except InfeasiblePlanError:
        if not frame.in_progress:
            raise
        # The team cannot continue every piece of work in progress today (people left, say):
        # let some of it resume later rather than declare the re-plan impossible.
        frame = frame_replan(
            workspace, previous, today, fresh=fresh, started=started, hold_in_progress=False
        )
        result = solve_roadmap(
            frame.workspace, frame.roadmap, time_limit=time_limit, workers=workers
        )
    roadmap = frame.roadmap
    plan = build_plan(frame.workspace, roadmap, result, time_limit=time_limit, workers=workers)
    return Replan(_settle(plan, frame, result), frame.workspace, previous, today, fresh)


def _settle(plan: Plan, frame: ReplanFrame, result: Result) -> Plan:
    """The solved plan with history, work in progress and re-plan reasons written in."""
    assert result.schedule is not None
    before = {item.id: item for item in frame.previous.items}
    items: list[PlannedItem] = []
    for item in plan.items:
        progress = frame.in_progress.get(item.id)
        reason = item.start_reason.kind if item.start_reason is not None else None
        if progress is not None:
            old = progress.previous
            why = StartReason(
                "in-progress",
                since=old.started or old.start,
                day=item.start,
                remaining=progress.remaining,
                option=item.option,
                until=frame.today,
                paused=None if item.start == frame.today else item.start_reason,
            )
            item = replace(
                item,
                state="in-progress",
                started=old.started or old.start,
                cost=round(item.cost + progress.spent_cost, 2),
                person_days=round(item.person_days + progress.spent_person_days, 2),
                why_then=reason_words(why),
                start_reason=why,
            )
        elif reason == "choice" and not frame.fresh and item.id in before:
            why = StartReason("kept", sprint=before[item.id].sprint_start)
            item = replace(item, why_then=reason_words(why), start_reason=why)
        elif (
            reason == "not-before"
            and item.start_day == frame.today_index
            and frame.releases[item.id] < frame.today_index
        ):
            why = StartReason("replan-date", day=frame.today)
            item = replace(item, why_then=reason_words(why), start_reason=why)
        items.append(item)
    for old in frame.history:
        why = (
            StartReason("assumed-done", day=old.end)
            if old.id in frame.assumed_done
            else StartReason("done", day=frame.today)
        )
        items.append(
            replace(
                old,
                status="done",
                remaining=0.0,
                state="done",
                why_then=reason_words(why),
                start_reason=why,
            )
        )
    items.sort(key=lambda i: (i.start_day, i.end_day, i.id))
    return replace(
        plan,
        assumed_done=tuple(AssumedDone(cid, before[cid].end) for cid in frame.assumed_done),
        items=tuple(items),
        total_cost=round(sum(i.cost for i in items), 2),
        total_person_days=round(sum(i.person_days for i in items), 2),
        replanned_on=frame.today,
    )
