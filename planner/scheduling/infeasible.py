"""An impossible request, answered in the user's words: what conflicts, what would help."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from planner.engine import SolveStatus, diagnose, solve
from planner.engine.diagnose import Group
from planner.scheduling.people import GROUP_PREFIX
from planner.scheduling.roadmap import COST, TARGET, Roadmap
from planner.workspace import Workspace


def _group_words(group: Group, roadmap: Roadmap, workspace: Workspace) -> str:
    kind, subject = group
    engagement = workspace.engagement
    roles = workspace.catalog.roles
    if kind == "milestone-due" and subject == TARGET:
        return f"the deadline {engagement.constraints.deadline} (constraints.deadline)"
    if kind == "milestone-due":
        return f"the due date of {roadmap.milestone_titles.get(subject, subject)}"
    if kind == "capacity" and subject.startswith(GROUP_PREFIX):
        return f"the time of {_who(subject)} (team.people)"
    if kind == "capacity":
        people = engagement.team.roles.get(subject)
        count = people.people if people else 0
        changed = [
            f"team.changes[{index}]"
            for index, change in enumerate(engagement.team.changes)
            if change.role == subject
        ]
        by = f", changed by {', '.join(changed)}" if changed else ""
        return (
            f"the team's {roles.get(subject, subject)} capacity ({count} in "
            f"team.roles.{subject}{by})"
        )
    if kind == "budget" and subject == COST:
        return (
            f"the budget {engagement.constraints.budget:,.0f} {engagement.team.currency} "
            "(constraints.budget)"
        )
    rule = f"constraints.capabilities.{subject}"
    if kind == "due":
        return f"{subject} must finish by its finish_by date ({rule}.finish_by)"
    if kind == "release":
        return f"{subject} may not start before its not_before date ({rule}.not_before)"
    if kind == "pinned":
        return f"{subject} is pinned ({rule}.pin)"
    if kind == "precedence":
        return f"the prerequisites of {subject}"
    return f"{kind} {subject}"


def explain_infeasible(
    workspace: Workspace, roadmap: Roadmap, time_limit: float, workers: int
) -> str:
    """A message naming the conflicting constraints and what would make the plan possible."""
    project, calendar = roadmap.project, roadmap.calendar
    roles = workspace.catalog.roles
    diagnosis = diagnose(project, time_limit=max(2.0, time_limit), workers=workers)
    lines = [f"no plan can meet this request for '{workspace.engagement.name}'."]
    chain = _chain_too_long(roadmap)
    lines += [f"  - {line}" for line in chain]
    for text in diagnosis.trivial:
        if chain and " cannot end by " in text:
            continue  # said above, grouped by date
        lines.append(f"  - {_humanise(text, roadmap, workspace)}")
    if diagnosis.conflicts:
        lines.append("These constraints cannot all hold together:")
        for group in diagnosis.conflicts:
            lines.append(f"  - {_group_words(group, roadmap, workspace)}")
    from planner.scheduling.cover_advice import let_people_cover

    covers = let_people_cover(workspace, time_limit, workers)
    fixes, emptied = _team_changes_to_blame(roadmap, workspace, diagnosis.conflicts)
    fixes = covers + fixes
    missing = _missing_people(roadmap, workspace)
    fixes += missing
    if missing and not workspace.engagement.team.people:
        short = [line.split(" (team.roles.")[0].split(" more ", 1)[1] for line in missing]
        fixes.append(
            f"or, if someone already in the team can do {' or '.join(short)} work, name the "
            "people in team.people with every role each can cover: the plan then lets them "
            "cover it"
        )
    from planner.engine.graph import earliest_starts

    unpinned = replace(
        project, activities=tuple(replace(a, fixed_start=None) for a in project.activities)
    )
    early = earliest_starts(unpinned)
    for kind, subject in diagnosis.conflicts:
        if kind == "pinned":
            fixes.append(
                f"unpin {subject}, or pin it on {calendar.to_date(early[subject])} or "
                "later (its prerequisites cannot finish sooner)"
            )
        if kind == "due" and ("due", subject) in diagnosis.earliest:
            day = diagnosis.earliest[("due", subject)]
            fixes.append(
                f"{subject} can be finished by {calendar.end_date(day)} at the earliest; "
                f"move constraints.capabilities.{subject}.finish_by to it or later"
            )
    relaxed = replace(
        project,
        milestones=tuple(replace(m, due=None) for m in project.milestones),
        activities=tuple(replace(a, due=None) for a in project.activities),
    )
    free = solve(relaxed, roadmap.objectives[:1], time_limit=time_limit, workers=workers)
    if free.schedule is not None and workspace.engagement.constraints.deadline:
        day = max((free.schedule.end(a.id, relaxed) for a in relaxed.activities), default=0)
        fixes.append(
            f"a later date: this team can reach level {roadmap.gap.target_overall} on "
            f"{calendar.end_date(day)} at the earliest; set constraints.deadline to it "
            "or later"
        )
    if emptied and diagnosis.extra_capacity:
        diagnosis = replace(
            diagnosis,
            extra_capacity={r: u for r, u in diagnosis.extra_capacity.items() if r not in emptied},
            extra_capacity_alone={
                r: u for r, u in diagnosis.extra_capacity_alone.items() if r not in emptied
            },
        )
    if diagnosis.extra_capacity:
        extra = [
            f"+{units} {_title(role, roles)}"
            for role, units in sorted(diagnosis.extra_capacity.items())
            if units
        ]
        if extra:
            fixes.append(
                "more people from the start: "
                + ", ".join(extra)
                + " (the smallest total headcount change that meets every date)"
            )
    joint = {r: u for r, u in (diagnosis.extra_capacity or {}).items() if u}
    for role, units in sorted(diagnosis.extra_capacity_alone.items()):
        if units and joint != {role: units}:
            where = "team.people" if role.startswith(GROUP_PREFIX) else f"team.roles.{role}"
            fixes.append(f"or {units} more {_title(role, roles)} alone ({where})")
    for budget, needed in sorted(diagnosis.budget_needed.items()):
        limit = workspace.engagement.constraints.budget
        if needed is not None and budget == COST and limit and needed > limit:
            fixes.append(
                f"a budget of at least {needed:,} {workspace.engagement.team.currency}"
                " (constraints.budget)"
            )
    smaller = _smaller_target(workspace, roadmap, relaxed, time_limit, workers)
    if smaller:
        fixes.append(smaller)
    if fixes:
        lines.append("What would make it possible:")
        lines += [f"  - {fix}" for fix in fixes]
    return "\n".join(lines)


def _who(group: str) -> str:
    return " or ".join(group.removeprefix(GROUP_PREFIX).split("+"))


def _title(resource: str, roles: Mapping[str, str]) -> str:
    """A role's title, or for named people "person with the skills of Ana"."""
    if resource.startswith(GROUP_PREFIX):
        return f"person with the skills of {_who(resource)}"
    return roles.get(resource, resource)


def _chain_too_long(roadmap: Roadmap) -> list[str]:
    """Dates the dependency chain alone cannot meet, whatever the number of people: one line
    per date missed, with the capabilities concerned and the date the chain allows."""
    from planner.engine.graph import earliest_starts, effective_dues

    project, calendar = roadmap.project, roadmap.calendar
    early = earliest_starts(project)
    late: dict[int, list[tuple[str, int]]] = {}
    for activity_id, due in effective_dues(project).items():
        end = early[activity_id] + project.activity[activity_id].min_duration
        if end > due:
            late.setdefault(due, []).append((activity_id, end))
    lines = []
    for due, items in sorted(late.items()):
        items.sort(key=lambda item: (-item[1], item[0]))
        names = ", ".join(activity_id for activity_id, _ in items[:5])
        more = f" and {len(items) - 5} more" if len(items) > 5 else ""
        count = f"{len(items)} capabilities" if len(items) > 1 else "1 capability"
        lines.append(
            f"even with unlimited people, {count} cannot be finished by "
            f"{calendar.end_date(due)}: prerequisites, earliest starts and durations alone "
            f"take until {calendar.end_date(items[0][1])} ({names}{more})"
        )
    return lines


def _team_changes_to_blame(
    roadmap: Roadmap, workspace: Workspace, conflicts: tuple[Group, ...]
) -> tuple[list[str], set[str]]:
    """Team changes that leave a role without anybody for good while work still needs it:
    the fix is to the change, not to the headcount at the start. Returns the fixes and the
    roles concerned."""
    engagement, calendar = workspace.engagement, roadmap.calendar
    project = roadmap.project
    fixes: list[str] = []
    roles: set[str] = set()
    for kind, role in conflicts:
        if kind != "capacity" or role not in {r.id for r in project.resources}:
            continue
        resource = next(r for r in project.resources if r.id == role)
        pieces = resource.profile()
        since, left = pieces[-1]
        if left > 0 or since == 0:
            continue
        needing = sorted(
            a.id
            for a in project.activities
            if all(a.modes[m].demands.get(role, 0) > 0 for m in a.allowed_modes)
        )
        blamed = [
            (index, change)
            for index, change in enumerate(engagement.team.changes)
            if change.role == role and change.change < 0 and change.end is None
        ]
        if not needing or not blamed:
            continue
        title = workspace.catalog.roles.get(role, role)
        where = ", ".join(f"team.changes[{index}]" for index, _ in blamed)
        notes = "; ".join(change.note for _, change in blamed if change.note)
        shown = ", ".join(needing[:5])
        if len(needing) > 5:
            shown += f" and {len(needing) - 5} more"
        fixes.append(
            f"{where}{f' ({notes})' if notes else ''} leaves no {title} from "
            f"{calendar.to_date(since)} on, and {shown} need one: not all of that work fits "
            "before then. Give the change an end (until: a date), or add a change that "
            f"brings one back (role: {role}, change: +1, from: a date)"
        )
        roles.add(role)
    return fixes, roles


def _missing_people(roadmap: Roadmap, workspace: Workspace) -> list[str]:
    """Roles with fewer people than some capability needs in every one of its options."""
    fixes = []
    for resource in roadmap.project.resources:
        need = max(
            (
                min(a.modes[m].demands.get(resource.id, 0) for m in a.allowed_modes)
                for a in roadmap.project.activities
            ),
            default=0,
        )
        if need > resource.max_capacity:
            title = workspace.catalog.roles.get(resource.id, resource.id)
            users = sorted(
                a.id
                for a in roadmap.project.activities
                if min(a.modes[m].demands.get(resource.id, 0) for m in a.allowed_modes)
                > resource.max_capacity
            )
            fixes.append(
                f"{need - resource.max_capacity} more {title} (team.roles.{resource.id}"
                f"): {', '.join(users)} cannot be staffed without"
            )
    return fixes


def _smaller_target(
    workspace: Workspace, roadmap: Roadmap, relaxed: object, time_limit: float, workers: int
) -> str | None:
    deadline = workspace.engagement.constraints.deadline
    if deadline is None:
        return None
    calendar = roadmap.calendar
    due = calendar.finish_by_index(deadline)
    lower = sorted(
        (
            m
            for m in roadmap.project.milestones
            if m.id.startswith("level-") and m.id.count("-") == 1
        ),
        key=lambda m: m.id,
        reverse=True,
    )
    from planner.engine import Objective

    for milestone in lower:
        level = int(milestone.id.split("-")[1])
        if level >= roadmap.gap.target_overall:
            continue
        result = solve(
            roadmap.project.__class__(
                activities=tuple(
                    a for a in roadmap.project.activities if a.id in set(milestone.activities)
                ),
                resources=roadmap.project.resources,
                precedences=tuple(
                    p
                    for p in roadmap.project.precedences
                    if p.before in milestone.activities and p.after in milestone.activities
                ),
                budgets=roadmap.project.budgets,
                milestones=(replace(milestone, due=None),),
            ),
            (Objective("milestones", (milestone.id,)),),
            time_limit=time_limit,
            workers=workers,
        )
        if result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and result.stages:
            day = result.stages[0].value or 0
            if day <= due:
                return (
                    f"a smaller target: level {level} can be reached by "
                    f"{calendar.end_date(day) if day else calendar.origin} (target.level: {level})"
                )
    return None


def _humanise(text: str, roadmap: Roadmap, workspace: Workspace) -> str:
    """Engine wording (working-day numbers, resource ids) in the engagement's words."""
    import re

    calendar = roadmap.calendar
    text = re.sub(r"activity '([^']+)'", r"\1", text)
    text = re.sub(
        r"cannot end by (\d+)",
        lambda m: f"cannot be finished by {calendar.end_date(int(m.group(1)))}",
        text,
    )
    text = re.sub(
        r"starts at (\d+) at the earliest",
        lambda m: f"starts on {calendar.to_date(int(m.group(1)))} at the earliest",
        text,
    )
    text = re.sub(
        r"start at (\d+) at the earliest",
        lambda m: f"start on {calendar.to_date(int(m.group(1)))} at the earliest",
        text,
    )
    text = re.sub(r"it takes (\d+)", r"it takes \1 working days", text)
    for role, title in workspace.catalog.roles.items():
        text = text.replace(f"'{role}'", f"{title} ('{role}')")
    return text
