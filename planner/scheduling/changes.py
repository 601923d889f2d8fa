"""What changed between two plans, and why: the change report of a re-plan.

:func:`compare_plans` is pure: it reads the two plans only (same calendar, as re-planning
keeps the previous plan's start). Its rules:

- **added** / **removed**: capabilities in one plan only (they entered or left the gap);
- **completed**: planned before, done now (history in the new plan);
- **moved**: a capability planned again in another sprint (its start's sprint; for work in
  progress, which always continues on the re-plan date, its end's sprint);
- **why a move**, from the plans' own explanations, most specific first: a prerequisite
  that now ends later than before (late prerequisite); a role it needs whose people per
  sprint differ between the plans over the sprints concerned (team change); work sharing a
  role with it that now ends later, just when it starts (waits for that role); its remaining
  work reassessed (in progress); a new target level or deadline; otherwise the solver's
  choice (an earlier slot opened, or room made for work that matters more);
- **milestones moved**: a level's date changed (with the reasons of the capabilities that
  moved it), reached (its work is all done) or no longer planned;
- the effect on the target date, the end date and the cost.

The report is finished data; putting it into words is the reports' work
(:func:`planner.reports.render.render_changes_document`): scheduling imports no report code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.plan import Plan, PlannedItem, PlannedMilestone


@dataclass(frozen=True)
class ItemChange:
    """A capability that entered or left the plan, or was completed."""

    id: str
    title: str
    sprint: int
    reason: str


@dataclass(frozen=True)
class Move:
    """A capability planned in another sprint than before."""

    id: str
    title: str
    state: str
    """planned or in-progress (then the sprints are those of its end)."""
    from_sprint: int
    to_sprint: int
    from_date: date
    to_date: date
    reasons: tuple[str, ...]

    @property
    def later(self) -> bool:
        return self.to_sprint > self.from_sprint


@dataclass(frozen=True)
class MilestoneChange:
    """A milestone whose date changed; ``to_date`` None when it is no longer planned."""

    id: str
    title: str
    from_date: date | None
    to_date: date | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ChangeReport:
    engagement: str
    previous_date: date | None
    """The previous plan's re-plan date, None when it was a first plan."""
    today: date | None
    fresh: bool
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    completed: tuple[ItemChange, ...]
    in_progress: tuple[ItemChange, ...]
    moved: tuple[Move, ...]
    milestones: tuple[MilestoneChange, ...]
    target_before: tuple[int, date | None]
    """(target level, its date) in the previous plan."""
    target_after: tuple[int, date | None]
    end_before: date
    end_after: date
    cost_before: float
    cost_after: float
    currency: str

    @property
    def cost_delta(self) -> float:
        return round(self.cost_after - self.cost_before, 2)

    @property
    def end_delta_days(self) -> int:
        return (self.end_after - self.end_before).days

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.moved or self.milestones)


def _target(plan: Plan) -> tuple[int, date | None]:
    milestone = next(
        (m for m in plan.milestones if m.area is None and m.level == plan.target_level), None
    )
    return plan.target_level, milestone.date if milestone else None


def _team_changes(old: Plan, new: Plan, item: PlannedItem, sprints: range) -> list[str]:
    before = {s.sprint: s for s in old.sprints}
    after = {s.sprint: s for s in new.sprints}
    out = []
    for role in sorted(item.demands):  # roles, and named people by name
        for sprint in sprints:
            if sprint not in before or sprint not in after:
                continue
            was = before[sprint].available.get(role, 0.0)
            now = after[sprint].available.get(role, 0.0)
            if was != now:
                title = new.roles.get(role, role)
                out.append(f"team change: {title} {was:g} → {now:g} people in sprint {sprint}")
                break
    return out


def _held_roles(old_items: dict[str, PlannedItem], new: Plan, now: PlannedItem) -> list[str]:
    """Work sharing a role with ``now`` that ends later than before, just as ``now`` starts."""
    out = []
    for other in new.items:
        prior = old_items.get(other.id)
        shared = sorted(set(other.demands) & set(now.demands))  # roles, named people
        if (
            other.id != now.id
            and other.id not in now.requires
            and other.state != "done"
            and shared
            and other.end_day == now.start_day
            and prior is not None
            and other.end_day > prior.end_day
        ):
            roles = ", ".join(new.roles.get(r, r) for r in shared)
            out.append(
                f"waits for {roles} busy on {other.id}, which now ends {other.end} "
                f"(was {prior.end})"
            )
    return out


def _reasons(old: Plan, new: Plan, was: PlannedItem, now: PlannedItem, fresh: bool) -> list[str]:
    out: list[str] = []
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    for prerequisite in now.requires:
        a, b = old_items.get(prerequisite), new_items.get(prerequisite)
        if a is not None and b is not None and b.state != "done" and b.end_day > a.end_day:
            out.append(f"late prerequisite: {prerequisite} now ends {b.end} (was {a.end})")
    low = min(was.sprint_start, now.sprint_start)
    high = max(was.sprint_end, now.sprint_end)
    out += _team_changes(old, new, now, range(low, high + 1))
    out += _held_roles(old_items, new, now)
    if now.state == "in-progress":
        out.append(f"remaining work reassessed: {now.remaining:.0%} of it left on {now.start}")
    if old.target_level != new.target_level:
        out.append(f"new target: level {old.target_level} → {new.target_level}")
    if old.deadline != new.deadline:
        out.append(f"new deadline: {old.deadline or 'none'} → {new.deadline or 'none'}")
    if not out:
        if fresh:
            out.append("planned afresh (--fresh): the previous plan's sprints were not kept")
        elif now.start_day < was.start_day:
            out.append("an earlier slot opened up: the milestones are reached sooner")
        else:
            out.append("makes room for work that reaches a milestone sooner or costs less")
    return out


def _moves(old: Plan, new: Plan, fresh: bool) -> list[Move]:
    before = {i.id: i for i in old.items if i.state != "done"}
    moves = []
    for now in new.items:
        was = before.get(now.id)
        if was is None or now.state == "done":
            continue
        if now.state == "in-progress":
            sprints, dates = (was.sprint_end, now.sprint_end), (was.end, now.end)
        else:
            sprints, dates = (was.sprint_start, now.sprint_start), (was.start, now.start)
        if sprints[0] == sprints[1]:
            continue
        moves.append(
            Move(
                now.id,
                now.title,
                now.state,
                sprints[0],
                sprints[1],
                dates[0],
                dates[1],
                tuple(_reasons(old, new, was, now, fresh)),
            )
        )
    return moves


def _milestone_changes(old: Plan, new: Plan, fresh: bool) -> list[MilestoneChange]:
    after = {m.id: m for m in new.milestones}
    old_items = {i.id: i for i in old.items}
    out = []
    for was in old.milestones:
        now: PlannedMilestone | None = after.get(was.id)
        if now is not None and now.day == was.day:
            continue
        reasons: list[str] = []
        if now is None:
            done = {i.id for i in new.items if i.state == "done"}
            reached = set(was.capabilities) <= done
            reasons.append("reached: its work is done" if reached else "no longer planned")
        else:
            for cap in now.capabilities:
                item = new.item(cap)
                prior = old_items.get(cap)
                if prior is None:
                    reasons.append(f"{cap}: added to the plan")
                elif item.end_day != prior.end_day and (item.end_day > prior.end_day) == (
                    now.day > was.day
                ):
                    reasons += [f"{cap}: {r}" for r in _reasons(old, new, prior, item, fresh)]
        out.append(
            MilestoneChange(
                was.id,
                was.title,
                was.date,
                now.date if now else None,
                tuple(dict.fromkeys(reasons)),
            )
        )
    before = {m.id for m in old.milestones}
    for now in new.milestones:
        if now.id not in before:
            out.append(MilestoneChange(now.id, now.title, None, now.date, ("new milestone",)))
    return out


def _completed(item: PlannedItem) -> str:
    """How a capability came to be done, from its reason (data, never parsed from words)."""
    reason = item.start_reason
    if reason is not None and reason.kind == "assumed-done":
        return "taken as done as planned (not reassessed)"
    if reason is not None and reason.kind == "done" and reason.day is not None:
        return f"done by {reason.day}"
    return "done"


def compare_plans(previous: Plan, new: Plan, *, fresh: bool = False) -> ChangeReport:
    """The change report from ``previous`` to ``new`` (see the module's docstring)."""
    old_ids = {i.id for i in previous.items}
    new_ids = {i.id for i in new.items}
    target_changed = previous.target_level != new.target_level
    added = tuple(
        ItemChange(
            i.id,
            i.title,
            i.sprint_start,
            f"new target: level {new.target_level}"
            if target_changed
            else "entered the gap: " + "; ".join(i.why),
        )
        for i in new.items
        if i.id not in old_ids
    )
    removed = tuple(
        ItemChange(
            i.id,
            i.title,
            i.sprint_start,
            f"new target: level {new.target_level}" if target_changed else "left the gap",
        )
        for i in previous.items
        if i.id not in new_ids
    )
    was_done = {i.id for i in previous.items if i.state == "done"}
    completed = tuple(
        ItemChange(i.id, i.title, i.sprint_end, _completed(i))
        for i in new.items
        if i.state == "done" and i.id in old_ids and i.id not in was_done
    )
    return ChangeReport(
        engagement=new.engagement,
        previous_date=previous.replanned_on,
        today=new.replanned_on,
        fresh=fresh,
        added=added,
        removed=removed,
        completed=completed,
        in_progress=tuple(
            ItemChange(i.id, i.title, i.sprint_end, f"since {i.started}, ends {i.end}")
            for i in new.items
            if i.state == "in-progress"
        ),
        moved=tuple(_moves(previous, new, fresh)),
        milestones=tuple(_milestone_changes(previous, new, fresh)),
        target_before=_target(previous),
        target_after=_target(new),
        end_before=previous.end,
        end_after=new.end,
        cost_before=previous.total_cost,
        cost_after=new.total_cost,
        currency=new.currency,
    )
