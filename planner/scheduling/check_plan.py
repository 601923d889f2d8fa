"""An independent check of a plan against its inputs, without the solver or the engine.

It imports no code whose output it judges: durations, costs, working days, the people of
each role on every day and the reasons are all derived here again from the engagement, the
catalog and the gap, by rules written out below (not by the roadmap framing, the engine or
the planner's calendar, on purpose: a checker that shared that code could not catch its
mistakes; its part on named people is :mod:`planner.scheduling.check_people`, under the same
rule). It checks:

- each item: its staffing option, its duration (``ceil(weeks x 5 x remaining / focus)``
  working days, at least 1), its cost at the day rates, its dates on the working-day
  calendar (Monday to Friday from the team's start);
- precedence with lags (``lag_weeks x 5`` working days, rounded up), constraint dates;
- availability on every working day: never more people of a role busy than the team has
  that day (joiners, leavers and absences included, each from its first to its last day);
  named people: each exists, has the role they cover, covers one role in one item at a time
  (the rest of an option's people are the role's anonymous ones, counted as above);
- with named people, the duration and cost at the slowest member's pace (``weeks x 5 x
  remaining / e`` days of effort, e the lowest efficiency of those named on it), each named
  person at their own day rate, else the role's;
- milestones, the deadline, totals and the budget;
- each stated start reason, on its date: the prerequisite ends then (plus its lag); nobody
  of the role, or too few for the option, in the team that day, and enough from the day
  said; the role's people busy on exactly the named work that day; the first day, the
  ``not_before`` date, the pin, the re-plan date.

A re-planned plan (``plan.replanned_on`` set) is checked the same way, except that items in
state ``done`` are history: they are not in the gap, not checked for durations, precedence
or capacity, and only count in the totals. Every other item starts on or after the re-plan
date, and an item in progress starts exactly on it (having started, it is no longer held
back by its prerequisites), unless the team could not continue it then.
"""

from __future__ import annotations

import bisect
import math
from datetime import date, timedelta
from itertools import pairwise

from planner.plan import Plan, PlannedItem
from planner.scheduling.check_people import (
    anonymous_units,
    find_person,
    is_present,
    named_problems,
    people_absent_problems,
    people_busy_problems,
    person_rate,
    working_on,
)
from planner.workspace import Workspace

WEEKDAYS = 5


class _Days:
    """Working days (Monday to Friday) from the first one on or after ``start``."""

    def __init__(self, start: date, count: int) -> None:
        day = start
        self.dates: list[date] = []
        while len(self.dates) < count:
            if day.weekday() < WEEKDAYS:
                self.dates.append(day)
            day += timedelta(days=1)

    def on(self, index: int) -> date:
        return self.dates[index]

    def index(self, day: date) -> int:
        """The index of ``day``, or of the next working day after it (weekend)."""
        return bisect.bisect_left(self.dates, day)


def _people_on(workspace: Workspace, role: str, when: date) -> int:
    team = workspace.engagement.team
    count = team.roles[role].people if role in team.roles else 0
    for change in team.changes:
        if (
            change.person is None
            and change.role == role
            and change.start <= when
            and (change.end is None or when <= change.end)
        ):
            count += change.change
    return max(0, count)


def check_plan(plan: Plan, workspace: Workspace) -> list[str]:
    """Every way ``plan`` breaks its inputs, as sentences; empty when it is sound."""
    out: list[str] = []
    engagement, gap = workspace.engagement, workspace.gap
    team = engagement.team
    planned = {item.id: item for item in plan.items if item.state != "done"}
    history = {item.id for item in plan.items if item.state == "done"}
    if history & set(gap.ids):
        out.append(f"items {sorted(history & set(gap.ids))} are done but still in the gap")
    if set(planned) != set(gap.ids):
        out.append(f"plan items {sorted(set(planned) ^ set(gap.ids))} differ from the gap")
        return out
    horizon = max((i.end_day for i in plan.items), default=0)
    days = _Days(team.start, horizon + 400)
    if plan.start != days.on(0):
        out.append(f"the plan starts {plan.start}, the team's first working day is {days.on(0)}")
    for gap_item in gap.items:
        item = planned[gap_item.id]
        cap = gap_item.capability
        if not 1 <= item.option <= len(cap.effort):
            out.append(f"{item.id}: option {item.option} does not exist")
            continue
        option = cap.effort[item.option - 1]
        out += named_problems(item, dict(option.people), workspace)
        slowest = min(
            (
                person.efficiency.get(role, 1.0)
                for role, names in item.assignees.items()
                for name in names
                if (person := find_person(workspace, name)) is not None
            ),
            default=1.0,
        )
        if abs(item.efficiency - slowest) > 1e-9:
            out.append(f"{item.id}: efficiency {item.efficiency}, its people give {slowest}")
        # the work goes at its slowest member's pace; everyone is held (and paid) that long
        effort_days = option.weeks * WEEKDAYS * gap_item.remaining / slowest
        expected = max(1, math.ceil(round(effort_days / team.focus_factor, 6)))
        if item.end_day - item.start_day != expected:
            out.append(
                f"{item.id}: lasts {item.end_day - item.start_day} days, option "
                f"{item.option} needs {expected}"
            )
        if item.state == "planned":
            cost = sum(
                effort_days
                * anonymous_units(item, r)
                * (team.roles[r].day_rate if r in team.roles else 0.0)
                for r in option.people
            ) + sum(
                effort_days * person_rate(workspace, name, role)
                for role, names in item.assignees.items()
                for name in names
            )
            if abs(item.cost - round(cost, 2)) > 0.011:
                out.append(f"{item.id}: costs {item.cost}, option {item.option} costs {cost:.2f}")
        if dict(item.people) != dict(option.people):
            out.append(f"{item.id}: staffing {dict(item.people)} is not option {item.option}")
        if item.start_day < 0:
            out.append(f"{item.id}: starts before the plan's start")
            continue
        if item.start != days.on(item.start_day) or item.end != days.on(item.end_day - 1):
            out.append(f"{item.id}: dates do not match its working days")
        # an item in progress has already started: its prerequisites no longer hold it back
        for prerequisite in () if item.state == "in-progress" else cap.requires:
            before = planned.get(prerequisite.id)
            lag = math.ceil(round(prerequisite.lag_weeks * WEEKDAYS, 6))
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
        if rule and rule.pin_start and item.start_day != days.index(rule.pin_start):
            out.append(f"{item.id}: pinned to {rule.pin_start} but starts {item.start}")
        if rule and rule.pin_option and item.option != rule.pin_option:
            out.append(f"{item.id}: pinned to option {rule.pin_option}, uses {item.option}")
    if plan.replanned_on is not None:
        out += _replan_dates(plan, days)
    out += _availability(plan, planned, workspace, days)
    out += _reasons(plan, planned, workspace, days)
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


def _busy(planned: dict[str, PlannedItem], role: str, day: int) -> list[PlannedItem]:
    """Items holding anonymous people of ``role`` on ``day``."""
    return [
        i for i in planned.values() if anonymous_units(i, role) and i.start_day <= day < i.end_day
    ]


def _availability(
    plan: Plan, planned: dict[str, PlannedItem], workspace: Workspace, days: _Days
) -> list[str]:
    """Never more (anonymous) people of a role busy than the team has on that day; never a
    named person on two things at once."""
    out: list[str] = []
    horizon = max((i.end_day for i in planned.values()), default=0)
    roles = sorted({r for i in planned.values() for r in i.people})
    names = sorted({n for i in planned.values() for ns in i.assignees.values() for n in ns})
    for day in range(horizon):
        when = days.on(day)
        for role in roles:
            busy = sum(anonymous_units(i, role) for i in _busy(planned, role, day))
            have = _people_on(workspace, role, when)
            if busy > have:
                out.append(f"{role}: {busy} busy on {when} but only {have} in the team")
        for name in names:
            on = working_on(planned, name, day)
            if len(on) > 1:
                out.append(f"{name}: on {', '.join(sorted(i.id for i in on))} at once on {when}")
            if on and not is_present(workspace, name, when):
                out.append(f"{name}: works on {on[0].id} on {when}, but is not in the team then")
    return out


def _reasons(
    plan: Plan, planned: dict[str, PlannedItem], workspace: Workspace, days: _Days
) -> list[str]:
    """Each stated start reason is true on its date."""
    out: list[str] = []
    requires = {
        i.id: {p.id: p.lag_weeks for p in i.capability.requires} for i in workspace.gap.items
    }
    for item in planned.values():
        reason = item.start_reason
        if reason is None:
            continue
        kind, say = reason.kind, f"{item.id}: reason {reason.kind!r}"
        if kind == "origin" and item.start_day != 0:
            out.append(f"{say}, but it starts on day {item.start_day}")
        elif kind == "prerequisite":
            before = planned.get(reason.capability or "")
            lag_weeks = requires[item.id].get(reason.capability or "")
            if before is None or lag_weeks is None:
                out.append(f"{say}: {reason.capability} is not one of its planned prerequisites")
                continue
            lag = math.ceil(round(lag_weeks * WEEKDAYS, 6))
            if (
                reason.day != before.end
                or reason.lag_days != lag
                or item.start_day != before.end_day + lag
            ):
                out.append(
                    f"{say}: {before.id} ends {before.end} with a lag of {lag} days, it starts "
                    f"{item.start} (stated: {reason.day}, lag {reason.lag_days})"
                )
        elif kind == "not-before":
            rule = workspace.engagement.constraints.capabilities.get(item.id)
            first = days.index(rule.not_before) if rule and rule.not_before else None
            if first != item.start_day:
                out.append(f"{say}, but it does not start on its not_before date")
        elif kind == "pinned":
            rule = workspace.engagement.constraints.capabilities.get(item.id)
            if not (rule and rule.pin_start):
                out.append(f"{say}, but it has no pin")
        elif kind in ("role-absent", "role-short", "role-busy"):
            out += _role_reason(item, planned, workspace, days)
        elif kind == "people-busy":
            out += people_busy_problems(item, planned, workspace, days)
        elif kind == "people-absent":
            out += people_absent_problems(item, workspace, days)
        elif kind == "replan-date" and (
            plan.replanned_on is None or item.start_day != days.index(plan.replanned_on)
        ):
            out.append(f"{say}, but it does not start on the re-plan date")
    return out


def _role_reason(
    item: PlannedItem, planned: dict[str, PlannedItem], workspace: Workspace, days: _Days
) -> list[str]:
    reason = item.start_reason
    assert reason is not None and reason.role is not None and reason.day is not None
    role, say = reason.role, f"{item.id}: reason {reason.kind!r} ({reason.role})"
    needed = anonymous_units(item, role)
    if reason.needed != needed:
        return [f"{say}: states {reason.needed} needed, its option needs {needed}"]
    if item.start_day == 0 or reason.day != days.on(item.start_day - 1):
        return [f"{say}: stated for {reason.day}, not the working day before its start"]
    have = _people_on(workspace, role, reason.day)
    if reason.kind == "role-absent" and have != 0:
        return [f"{say}: the team has {have} on {reason.day}"]
    if reason.kind == "role-short" and not (have == reason.available and have < needed):
        return [f"{say}: the team has {have} on {reason.day}, {needed} needed"]
    if reason.kind in ("role-absent", "role-short"):
        until = reason.until
        if until is None or until > item.start or _people_on(workspace, role, until) < needed:
            return [f"{say}: not {needed} of them from {until}"]
        between = [days.on(d) for d in range(days.index(reason.day) + 1, days.index(until))]
        if any(_people_on(workspace, role, d) >= needed for d in between):
            return [f"{say}: enough of them before {until}"]
        return []
    day = item.start_day - 1
    busy = _busy({k: v for k, v in planned.items() if k != item.id}, role, day)
    names = tuple(sorted(i.id for i in busy))
    free = have - sum(anonymous_units(i, role) for i in busy)
    if names != tuple(sorted(reason.busy_on)) or free != reason.available or free >= needed:
        return [
            f"{say}: on {reason.day} busy on {', '.join(names) or 'nothing'} with {free} free "
            f"(stated: {', '.join(reason.busy_on)}, {reason.available} free)"
        ]
    return []


def _replan_dates(plan: Plan, days: _Days) -> list[str]:
    """Nothing starts before the re-plan date; work in progress continues from it (on it,
    unless the team is too small to continue every piece of it at once: then later)."""
    assert plan.replanned_on is not None
    today = days.index(plan.replanned_on)
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
