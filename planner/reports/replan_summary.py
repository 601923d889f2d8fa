"""What a client reads first after a re-plan: dates, cost and scope, with the causes in
plain words, each said once; then progress. Derived from the two plans and the finished
change report (made by the scheduling layer), never by re-planning anything here."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from planner.plan import Plan, PlannedItem


@dataclass(frozen=True)
class MilestoneDate:
    title: str
    before: _dt.date | None
    after: _dt.date | None
    reached: bool
    """Its work is all done: ``after`` is the day it was reached."""

    @property
    def delta_days(self) -> int | None:
        if self.before is None or self.after is None or self.reached:
            return None
        return (self.after - self.before).days


@dataclass(frozen=True)
class Progress:
    done: tuple[PlannedItem, ...]
    in_progress: tuple[PlannedItem, ...]
    planned: int


@dataclass(frozen=True)
class ReplanSummary:
    milestones: tuple[MilestoneDate, ...]
    cost_before: float
    cost_after: float
    added: tuple[str, ...]
    removed: tuple[str, ...]
    causes: tuple[str, ...]
    progress: Progress


def _sprint_ranges(sprints: list[int]) -> str:
    parts: list[str] = []
    for sprint in sprints:
        if parts and parts[-1].split("–")[-1] == str(sprint - 1):
            parts[-1] = f"{parts[-1].split('–')[0]}–{sprint}"
        else:
            parts.append(str(sprint))
    return ", ".join(parts)


def _team_causes(previous: Plan, plan: Plan) -> list[str]:
    causes = []
    known = set(previous.team_changes)
    for change in plan.team_changes:
        if change in known or change.start > plan.end:
            continue
        title = plan.roles.get(change.role, change.role)
        count = abs(change.change)
        who = change.person or f"{count} {title}{'s' if count != 1 else ''}"
        verb = "joins" if change.change > 0 and count == 1 else "join"
        if change.change < 0:
            verb = "is away" if count == 1 else "are away"
        when = f"from {change.start}" + (f" to {change.end}" if change.end else "")
        note = f" ({change.note})" if change.note else ""
        causes.append(f"The team changed: {who} {verb} {when}{note}.")
    if causes:
        return causes
    before = {s.sprint: s for s in previous.sprints}
    for role in plan.roles:
        fewer = [
            s.sprint
            for s in plan.sprints
            if s.sprint in before
            and s.available.get(role, 0.0) < before[s.sprint].available.get(role, 0.0)
        ]
        if fewer:
            title = plan.roles[role]
            causes.append(
                f"Fewer {title}s are available than before in sprint {_sprint_ranges(fewer)}."
            )
    return causes


def _progress_causes(previous: Plan, plan: Plan) -> list[str]:
    today = plan.replanned_on
    if today is None:
        return []
    was = {i.id: i for i in previous.items}
    causes = []
    for item in plan.items:
        old = was.get(item.id)
        if old is None or old.state == "done":
            continue
        if item.state == "in-progress" and old.end < today:
            causes.append(
                f"{item.title} took longer than planned: it was to be finished by {old.end}, "
                f"{item.remaining:.0%} of it was left on {today}."
            )
        elif item.state == "in-progress" and item.end > old.end:
            causes.append(
                f"{item.title} needs more time than planned: {item.remaining:.0%} of it was "
                f"left on {today}; it now ends {item.end} instead of {old.end}."
            )
        elif item.state == "planned" and old.start < today <= item.start:
            causes.append(f"{item.title} did not start on {old.start} as planned.")
    return causes


def summarise(previous: Plan, plan: Plan, changes: Any) -> ReplanSummary:
    """The client's summary of a re-plan (``changes``: the scheduling layer's report)."""
    after = {m.id: m for m in plan.overall_milestones}
    done = {i.id: i for i in plan.items if i.state == "done"}
    milestones = []
    for old in sorted(previous.overall_milestones, key=lambda m: (m.level, m.id)):
        now = after.get(old.id)
        reached = bool(old.capabilities) and all(c in done for c in old.capabilities)
        if reached:
            day = max(done[c].end for c in old.capabilities)
            milestones.append(MilestoneDate(old.title, old.date, day, True))
        else:
            milestones.append(MilestoneDate(old.title, old.date, now.date if now else None, False))
    known = {m.id for m in previous.overall_milestones}
    for new in plan.overall_milestones:
        if new.id not in known:
            milestones.append(MilestoneDate(new.title, None, new.date, False))
    causes: list[str] = []
    if previous.target_level != plan.target_level:
        causes.append(
            f"The target changed from level {previous.target_level} to level {plan.target_level}."
        )
    if previous.deadline != plan.deadline:
        causes.append(
            f"The deadline changed from {previous.deadline or 'none'} to {plan.deadline or 'none'}."
        )
    causes += _team_causes(previous, plan)
    causes += _progress_causes(previous, plan)
    added = tuple(a.title for a in getattr(changes, "added", ()))
    removed = tuple(r.title for r in getattr(changes, "removed", ()))
    if added and previous.target_level == plan.target_level:
        causes.append(
            "The reassessment found work that was not in the plan: " + ", ".join(added) + "."
        )
    if removed and previous.target_level == plan.target_level:
        causes.append("Work is no longer needed: " + ", ".join(removed) + ".")
    return ReplanSummary(
        milestones=tuple(milestones),
        cost_before=previous.total_cost,
        cost_after=plan.total_cost,
        added=added,
        removed=removed,
        causes=tuple(dict.fromkeys(causes)),
        progress=Progress(
            done=tuple(i for i in plan.items if i.state == "done"),
            in_progress=tuple(i for i in plan.items if i.state == "in-progress"),
            planned=sum(1 for i in plan.items if i.state == "planned"),
        ),
    )
