"""The roadmap as a generic scheduling project: capabilities become activities, roles
become renewable resources, maturity levels become milestones."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.calendar import DAYS_PER_WEEK, WorkCalendar
from planner.catalog import StaffingOption
from planner.engagement import Engagement, Team, TeamChange
from planner.engine import (
    Activity,
    Budget,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
)
from planner.gap import Gap, GapItem
from planner.scheduling.people import SkillGroup, Staffing, skill_groups, staffing_ways
from planner.workspace import Workspace

TARGET = "target"
COST = "cost"
NO_BUDGET = 10**12


@dataclass(frozen=True)
class OptionCost:
    """What one staffing option costs for what is left of a capability."""

    days: int
    """Working days on the calendar (stretched by the focus factor)."""
    person_days: float
    """Effort charged to the roadmap: people x working days of effort (not stretched)."""
    cost: float


@dataclass(frozen=True)
class Roadmap:
    """A gap, framed for the engine, with the maps to translate answers back."""

    project: Project
    calendar: WorkCalendar
    gap: Gap
    objectives: tuple[Objective, ...]
    costs: Mapping[str, tuple[OptionCost, ...]]
    milestone_titles: Mapping[str, str] = field(default_factory=dict)
    uses_rates: bool = True
    staffing: Mapping[str, tuple[Staffing, ...]] = field(default_factory=dict)
    """With named people: per capability, what each engine mode is (its option and who
    covers which role); empty without names, where mode ``m`` is option ``m``."""
    groups: tuple[SkillGroup, ...] = ()

    def option_of(self, activity: str, mode: int) -> int:
        """The staffing option (from 0) of an activity's engine mode."""
        ways = self.staffing.get(activity)
        return ways[mode].option if ways else mode

    def efficiency_of(self, activity: str, mode: int) -> float:
        ways = self.staffing.get(activity)
        return ways[mode].efficiency if ways else 1.0

    def mode_of(self, activity: str, option: int, names: Mapping[str, tuple[str, ...]]) -> int:
        """The engine mode of ``option`` (from 0) covered by these named people (role ->
        names); the option's first mode when no mode matches them; ``option`` without
        names."""
        ways = self.staffing.get(activity)
        if not ways:
            return option
        member = {m: g.id for g in self.groups for m in g.members}
        wanted: dict[tuple[str, str], int] = {}
        for role, who in names.items():
            for name in who:
                key = (role, member.get(name, ""))
                wanted[key] = wanted.get(key, 0) + 1
        fallback = None
        for index, way in enumerate(ways):
            if way.option != option:
                continue
            fallback = index if fallback is None else fallback
            have = {(c.role, c.source): c.units for c in way.covers if c.source in member.values()}
            if have == wanted:
                return index
        return fallback if fallback is not None else 0


def option_cost(option: StaffingOption, remaining: float, team: Team) -> OptionCost:
    """Days on the calendar and cost of an option for the ``remaining`` share of the work.

    A person with focus factor f gives f of each working day to the roadmap, so a job of w
    weeks of effort takes ceil(w * 5 * remaining / f) working days; its cost is the effort
    itself (people x w * 5 * remaining days) at each role's day rate.
    """
    effort_days = option.weeks * DAYS_PER_WEEK * remaining
    days = max(1, math.ceil(round(effort_days / team.focus_factor, 6)))
    person_days = effort_days * sum(option.people.values())
    cost = sum(
        effort_days * count * (team.roles[role].day_rate if role in team.roles else 0.0)
        for role, count in option.people.items()
    )
    return OptionCost(days, person_days, cost)


def lag_days(lag_weeks: float) -> int:
    """A prerequisite's lag in working days: never rounded down (0.5 weeks is 3 days)."""
    return max(0, math.ceil(round(lag_weeks * DAYS_PER_WEEK, 6)))


def role_resources(
    engagement: Engagement, calendar: WorkCalendar, roles: Mapping[str, str]
) -> tuple[Resource, ...]:
    """One renewable resource per role: headcount over time, changes applied by date.

    A change with an end applies from its first to its last working day within the plan; one
    without any working day in the plan (wholly before the start, or over a weekend) has no
    effect (it must never lose its end and become permanent)."""
    resources = []
    for role in sorted(set(roles) | set(engagement.team.roles)):
        base = engagement.team.roles[role].people if role in engagement.team.roles else 0
        changes = [c for c in engagement.team.changes if c.person is None and c.role == role]
        resources.append(_headcount(role, base, changes, calendar))
    return tuple(resources)


def person_resource(
    resource: str, name: str, engagement: Engagement, calendar: WorkCalendar
) -> Resource:
    """A named person over time: 1, or 0 while away (``team.changes`` naming them); 0 before
    they join when they have a joining (+1) change."""
    changes = [c for c in engagement.team.changes if c.person == name]
    base = 0 if any(c.change > 0 for c in changes) else 1
    return _headcount(resource, base, changes, calendar, top=1)


def _headcount(
    resource: str,
    base: int,
    changes: Sequence[TeamChange],
    calendar: WorkCalendar,
    top: int | None = None,
) -> Resource:
    events: dict[int, int] = {}
    for change in changes:
        begin = max(0, calendar.to_index(change.start))
        if change.end is not None:
            stop = calendar.finish_by_index(change.end)
            if stop <= begin:  # no working day of the plan in it: no change at all
                continue
            events[stop] = events.get(stop, 0) - change.change
        events[begin] = events.get(begin, 0) + change.change
    level, steps = base, []

    def held(value: int) -> int:
        return max(0, value if top is None else min(top, value))

    capacity = held(base)
    for time in sorted(events):
        level += events[time]
        if time == 0:
            capacity = held(level)
        else:
            steps.append((time, held(level)))
    return Resource(resource, capacity, tuple(steps))


def _people_modes(
    item: GapItem,
    engagement: Engagement,
    groups: tuple[SkillGroup, ...],
    pool: Mapping[str, int],
    pinned: int | None,
    uses_rates: bool,
) -> tuple[tuple[Mode, ...], tuple[OptionCost, ...], tuple[Staffing, ...]]:
    ways = staffing_ways(
        item.id,
        item.capability.effort,
        item.remaining,
        engagement.team,
        groups,
        pool,
        pinned,
        engagement.source,
    )
    modes = tuple(
        Mode(
            w.days,
            dict(w.demands),
            {COST: round(w.cost) if uses_rates else round(w.person_days * 100)},
        )
        for w in ways
    )
    costs = tuple(OptionCost(w.days, w.person_days, w.cost) for w in ways)
    return modes, costs, tuple(w.staffing for w in ways)


def uses_rates(team: Team) -> bool:
    """Whether cost is money (some day rate given) or person-days."""
    return any(r.day_rate > 0 for r in team.roles.values()) or any(p.day_rate for p in team.people)


def _modes(item: GapItem, team: Team) -> tuple[tuple[Mode, ...], tuple[OptionCost, ...]]:
    costs = tuple(option_cost(o, item.remaining, team) for o in item.capability.effort)
    money = uses_rates(team)
    modes = tuple(
        Mode(
            c.days,
            dict(sorted(o.people.items())),
            {COST: round(c.cost) if money else round(c.person_days * 100)},
        )
        for o, c in zip(item.capability.effort, costs, strict=True)
    )
    return modes, costs


def milestone_title(level: int, area: str | None, workspace: Workspace) -> str:
    name = workspace.catalog.levels.get(level, f"level {level}")
    if area is None:
        return f"MLOps level {level} — {name}"
    return f"{workspace.catalog.areas[area]} level {level} — {name}"


def frame_roadmap(workspace: Workspace) -> Roadmap:
    """Frame the workspace's gap as a scheduling project with its lexicographic objectives.

    Objectives, in order: (1) the target reached as early as possible; (2) each lower overall
    level as early as possible, lowest first; (3) the cheaper staffing
    options (cost at day rates, or person-days when no rates are given); (4) every start as
    early as possible, a deterministic tie-break.
    """
    engagement, gap = workspace.engagement, workspace.gap
    calendar = WorkCalendar(engagement.team.start, engagement.team.sprint_weeks)
    constraints = engagement.constraints
    activities = []
    costs: dict[str, tuple[OptionCost, ...]] = {}
    resources = role_resources(engagement, calendar, workspace.catalog.roles)
    groups = skill_groups(engagement.team)
    pool = {r.id: r.max_capacity for r in resources}
    staffing: dict[str, tuple[Staffing, ...]] = {}
    money = uses_rates(engagement.team)
    for item in gap.items:
        rule = constraints.capabilities.get(item.id)
        pin = rule.pin_option - 1 if rule and rule.pin_option else None
        if groups:
            modes, costs[item.id], staffing[item.id] = _people_modes(
                item, engagement, groups, pool, pin, money
            )
            # the pinned option's ways are the only modes; one of them is pinned
            pin = 0 if pin is not None and len(modes) == 1 else None
        else:
            modes, costs[item.id] = _modes(item, engagement.team)
        activities.append(
            Activity(
                item.id,
                modes,
                release=max(0, calendar.to_index(rule.not_before))
                if rule and rule.not_before
                else 0,
                due=calendar.finish_by_index(rule.finish_by) if rule and rule.finish_by else None,
                fixed_start=calendar.to_index(rule.pin_start) if rule and rule.pin_start else None,
                fixed_mode=pin,
            )
        )
    in_gap = set(gap.ids)
    precedences = tuple(
        Precedence(p.id, item.id, lag_days(p.lag_weeks))
        for item in gap.items
        for p in item.capability.requires
        if p.id in in_gap
    )
    deadline = calendar.finish_by_index(constraints.deadline) if constraints.deadline else None
    milestones = [Milestone(TARGET, gap.ids, deadline)]
    titles = {TARGET: f"Target reached — level {gap.target_overall}"}
    for scope in gap.milestones:
        milestones.append(Milestone(scope.id, scope.needs))
        titles[scope.id] = milestone_title(scope.level, scope.area, workspace)
    budget = round(constraints.budget) if constraints.budget is not None else NO_BUDGET
    project = Project(
        activities=tuple(activities),
        resources=resources
        + tuple(
            person_resource(g.id, g.members[0], engagement, calendar)
            if g.size == 1
            else Resource(g.id, g.size)
            for g in groups
        ),
        precedences=precedences,
        budgets=(Budget(COST, budget),),
        milestones=tuple(milestones),
    )
    # The target milestone holds every activity, so reaching it early is the makespan (which
    # lets the engine tighten its horizon). Lower overall levels follow, lowest first; a
    # level that needs everything is reached with the target and needs no stage of its own.
    # Area milestones are reported but get no stage: each stage costs a proof, and the final
    # start tie-break already pulls every area's work forward.
    objectives: list[Objective] = [Objective("makespan")]
    everything = set(gap.ids)
    for scope in sorted(gap.milestones, key=lambda s: s.level):
        if scope.area is None and set(scope.needs) != everything:
            objectives.append(Objective("milestones", (scope.id,)))
    objectives += [Objective("consumption", (COST,)), Objective("starts")]
    return Roadmap(
        project=project,
        calendar=calendar,
        gap=gap,
        objectives=tuple(objectives),
        costs=costs,
        milestone_titles=titles,
        uses_rates=money,
        staffing=staffing,
        groups=groups,
    )
