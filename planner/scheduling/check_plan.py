"""An independent check of a plan against its inputs, without the solver or the engine.

It recomputes from the engagement, the catalog and the gap: durations of the chosen
staffing options, precedence, the people of each role on every working day (joiners,
leavers and absences included), constraint dates, milestone dates and totals.

A re-planned plan (``plan.replanned_on`` set) is checked the same way, except that items in
state ``done`` are history: they are not in the gap, not checked for durations, precedence
or capacity, and only count in the totals. Every other item starts on or after the re-plan
date, and an item in progress starts exactly on it (having started, it is no longer held
back by its prerequisites).
"""

from __future__ import annotations

from itertools import pairwise

from planner.plan import Plan
from planner.scheduling.calendar import WorkCalendar
from planner.scheduling.roadmap import option_cost
from planner.workspace import Workspace


def _people_on(workspace: Workspace, calendar: WorkCalendar, role: str, day: int) -> int:
    team = workspace.engagement.team
    count = team.roles[role].people if role in team.roles else 0
    when = calendar.to_date(day)
    for change in team.changes:
        if (
            change.role == role
            and change.start <= when
            and (change.end is None or when <= change.end)
        ):
            count += change.change
    return max(0, count)


def check_plan(plan: Plan, workspace: Workspace) -> list[str]:
    """Every way ``plan`` breaks its inputs, as sentences; empty when it is sound."""
    out: list[str] = []
    engagement, gap = workspace.engagement, workspace.gap
    calendar = WorkCalendar(engagement.team.start, engagement.team.sprint_weeks)
    planned = {item.id: item for item in plan.items if item.state != "done"}
    history = {item.id for item in plan.items if item.state == "done"}
    if history & set(gap.ids):
        out.append(f"items {sorted(history & set(gap.ids))} are done but still in the gap")
    if set(planned) != set(gap.ids):
        out.append(f"plan items {sorted(set(planned) ^ set(gap.ids))} differ from the gap")
        return out
    for gap_item in gap.items:
        item = planned[gap_item.id]
        cap = gap_item.capability
        if not 1 <= item.option <= len(cap.effort):
            out.append(f"{item.id}: option {item.option} does not exist")
            continue
        option = cap.effort[item.option - 1]
        expected = option_cost(option, gap_item.remaining, engagement.team)
        if item.end_day - item.start_day != expected.days:
            out.append(
                f"{item.id}: lasts {item.end_day - item.start_day} days, option "
                f"{item.option} needs {expected.days}"
            )
        if dict(item.people) != dict(option.people):
            out.append(f"{item.id}: staffing {dict(item.people)} is not option {item.option}")
        if item.start_day < 0:
            out.append(f"{item.id}: starts before the plan's start")
        if item.start != calendar.to_date(item.start_day) or item.end != calendar.end_date(
            item.end_day
        ):
            out.append(f"{item.id}: dates do not match its working days")
        # an item in progress has already started: its prerequisites no longer hold it back
        for prerequisite in () if item.state == "in-progress" else cap.requires:
            before = planned.get(prerequisite.id)
            lag = round(prerequisite.lag_weeks * 5)
            if before is not None and item.start_day < before.end_day + lag:
                out.append(
                    f"{item.id} starts (day {item.start_day}) before its prerequisite "
                    f"{before.id} ends (day {before.end_day}) + lag {lag}"
                )
        rule = engagement.constraints.capabilities.get(item.id)
        if rule and rule.not_before and item.start < rule.not_before:
            out.append(f"{item.id}: starts {item.start}, before not_before {rule.not_before}")
        if rule and rule.finish_by and item.end > rule.finish_by:
            out.append(f"{item.id}: ends {item.end}, after finish_by {rule.finish_by}")
        if rule and rule.pin_start and item.start_day != calendar.to_index(rule.pin_start):
            out.append(f"{item.id}: pinned to {rule.pin_start} but starts {item.start}")
        if rule and rule.pin_option and item.option != rule.pin_option:
            out.append(f"{item.id}: pinned to option {rule.pin_option}, uses {item.option}")
    if plan.replanned_on is not None:
        out += _replan_dates(plan, calendar)
    horizon = max((i.end_day for i in planned.values()), default=0)
    roles = sorted({r for i in planned.values() for r in i.people})
    for day in range(horizon):
        for role in roles:
            busy = sum(
                i.people.get(role, 0) for i in planned.values() if i.start_day <= day < i.end_day
            )
            if busy > _people_on(workspace, calendar, role, day):
                out.append(
                    f"{role}: {busy} busy on {calendar.to_date(day)} but only "
                    f"{_people_on(workspace, calendar, role, day)} in the team"
                )
    for milestone in plan.milestones:
        scope = next((s for s in gap.milestones if s.id == milestone.id), None)
        if scope is None:
            out.append(f"milestone {milestone.id} is not one of the gap's levels")
            continue
        day = max((planned[c].end_day for c in scope.needs), default=0)
        if milestone.day != day:
            out.append(f"milestone {milestone.id}: day {milestone.day}, its work ends on {day}")
        if milestone.deadline and milestone.date > milestone.deadline:
            out.append(f"milestone {milestone.id}: {milestone.date} is after the deadline")
    overall = sorted(plan.overall_milestones, key=lambda m: m.level)
    for lower, higher in pairwise(overall):
        if lower.day > higher.day:
            out.append(f"{lower.id} ({lower.date}) comes after {higher.id} ({higher.date})")
    deadline = engagement.constraints.deadline
    if deadline and plan.items and plan.end > deadline:
        out.append(f"the plan ends {plan.end}, after the deadline {deadline}")
    total = round(sum(i.cost for i in plan.items), 2)
    if abs(total - plan.total_cost) > 0.01:
        out.append(f"total cost {plan.total_cost} is not the sum of the items ({total})")
    budget = engagement.constraints.budget
    if budget is not None and total > budget + 0.5 * len(plan.items):
        out.append(f"total cost {total} is over the budget {budget}")
    for item in plan.items:
        if not item.why or not item.why_then:
            out.append(f"{item.id}: missing its reason")
    return out


def _replan_dates(plan: Plan, calendar: WorkCalendar) -> list[str]:
    """Nothing starts before the re-plan date; work in progress continues from it (on it,
    unless the team is too small to continue every piece of it at once: then later)."""
    assert plan.replanned_on is not None
    today = calendar.to_index(plan.replanned_on)
    out: list[str] = []
    for item in plan.items:
        if item.state == "in-progress" and item.start_day < today:
            out.append(
                f"{item.id}: in progress, but continues on {item.start}, before the re-plan date"
            )
        elif item.state == "planned" and item.start_day < today:
            out.append(
                f"{item.id}: starts {item.start}, before the re-plan date {plan.replanned_on}"
            )
        if item.state == "in-progress" and (item.started is None or item.started >= item.start):
            out.append(f"{item.id}: in progress, but without an earlier start")
    return out
