"""The plan checker's part on named people (``team.people``), written out again from the
engagement like the rest of :mod:`planner.scheduling.check_plan`: who is in the team on a
day, at what rate and efficiency, and whether a reason that names people is true."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from planner.plan import PlannedItem
from planner.workspace import Workspace


class Days(Protocol):
    """The checker's working days: the date of a day's index, and back."""

    def on(self, index: int) -> date: ...
    def index(self, day: date) -> int: ...


class Person(Protocol):
    """A named member of the engagement's team, as far as the checker reads one."""

    @property
    def name(self) -> str: ...
    @property
    def roles(self) -> tuple[str, ...]: ...
    @property
    def efficiency(self) -> Mapping[str, float]: ...
    @property
    def day_rate(self) -> float | None: ...


def is_present(workspace: Workspace, name: str, when: date) -> bool:
    """Whether a named person is in the team on ``when``: always, except while away (a -1
    change naming them) and before they join (when a +1 change names them)."""
    changes = [c for c in workspace.engagement.team.changes if c.person == name]
    count = 0 if any(c.change > 0 for c in changes) else 1
    for change in changes:
        if change.start <= when and (change.end is None or when <= change.end):
            count += change.change
    return count >= 1


def find_person(workspace: Workspace, name: str) -> Person | None:
    return next((p for p in workspace.engagement.team.people if p.name == name), None)


def person_rate(workspace: Workspace, name: str, role: str) -> float:
    """A named person's day: their own rate, else the role's."""
    person = find_person(workspace, name)
    if person is not None and person.day_rate is not None:
        return person.day_rate
    roles = workspace.engagement.team.roles
    return roles[role].day_rate if role in roles else 0.0


def anonymous_units(item: PlannedItem, role: str) -> int:
    """The people of ``role`` on ``item`` who are not named (the role's anonymous people)."""
    return item.people.get(role, 0) - len(item.assignees.get(role, ()))


def named_problems(item: PlannedItem, people: dict[str, int], workspace: Workspace) -> list[str]:
    """Named people exist, have the role they cover, cover one role each, and no more of a
    role than the option needs."""
    out: list[str] = []
    seen: list[str] = []
    for role, names in item.assignees.items():
        if len(names) > people.get(role, 0):
            out.append(
                f"{item.id}: {len(names)} named for {role}, the option needs {people.get(role, 0)}"
            )
        for name in names:
            person = find_person(workspace, name)
            if person is None:
                out.append(f"{item.id}: {name} is not in the team")
            elif role not in person.roles:
                out.append(f"{item.id}: {name} covers {role}, not one of their roles")
            seen.append(name)
    if len(seen) != len(set(seen)):
        out.append(f"{item.id}: someone covers two roles at once ({sorted(seen)})")
    return out


def working_on(planned: dict[str, PlannedItem], name: str, day: int) -> list[PlannedItem]:
    """Items a named person works on on ``day``."""
    return [
        i
        for i in planned.values()
        if i.start_day <= day < i.end_day and any(name in n for n in i.assignees.values())
    ]


def people_busy_problems(
    item: PlannedItem, planned: dict[str, PlannedItem], workspace: Workspace, days: Days
) -> list[str]:
    """Interchangeable named people (the same roles, efficiencies, rate), as many of them on
    the item as stated, too few of them free the working day before its start, busy on
    exactly the named work."""
    reason = item.start_reason
    assert reason is not None
    say = f"{item.id}: reason 'people-busy' ({', '.join(reason.people)})"
    people = [find_person(workspace, name) for name in reason.people]
    if any(p is None for p in people):
        return [f"{say}: not all of them are in the team"]
    kinds = {
        (
            frozenset(p.roles),
            frozenset((r, e) for r, e in p.efficiency.items() if e < 1),
            p.day_rate,
        )
        for p in people
        if p is not None
    }
    if len(kinds) != 1:
        return [f"{say}: they are not interchangeable"]
    on_item = [n for names in item.assignees.values() for n in names if n in reason.people]
    if reason.needed != len(on_item) or not on_item:
        return [f"{say}: states {reason.needed} needed, {len(on_item)} of them work on it"]
    if item.start_day == 0 or reason.day != days.on(item.start_day - 1):
        return [f"{say}: stated for {reason.day}, not the working day before its start"]
    day = item.start_day - 1
    others = {k: v for k, v in planned.items() if k != item.id}
    busy = {i.id for name in reason.people for i in working_on(others, name, day)}
    free = sum(1 for name in reason.people if not working_on(others, name, day))
    if (
        tuple(sorted(busy)) != tuple(sorted(reason.busy_on))
        or free != reason.available
        or (free >= reason.needed)
    ):
        return [
            f"{say}: on {reason.day} busy on {', '.join(sorted(busy)) or 'nothing'} with {free} "
            f"free (stated: {', '.join(reason.busy_on)}, {reason.available} free)"
        ]
    return []


def people_absent_problems(item: PlannedItem, workspace: Workspace, days: Days) -> list[str]:
    """Too few of the named people in the team the working day before the start, enough from
    the stated day (not later than the start) and not before it."""
    reason = item.start_reason
    assert reason is not None
    say = f"{item.id}: reason 'people-absent' ({', '.join(reason.people)})"
    on_item = [n for names in item.assignees.values() for n in names if n in reason.people]
    if reason.needed != len(on_item) or not on_item:
        return [f"{say}: states {reason.needed} needed, {len(on_item)} of them work on it"]
    if item.start_day == 0 or reason.day != days.on(item.start_day - 1):
        return [f"{say}: stated for {reason.day}, not the working day before its start"]

    def present(when: date) -> int:
        return sum(is_present(workspace, name, when) for name in reason.people)

    if present(reason.day) != reason.available or reason.available >= reason.needed:
        return [f"{say}: {present(reason.day)} of them in the team on {reason.day}"]
    until = reason.until
    if until is None or until > item.start or present(until) < reason.needed:
        return [f"{say}: not {reason.needed} of them from {until}"]
    between = [days.on(d) for d in range(days.index(reason.day) + 1, days.index(until))]
    if any(present(d) >= reason.needed for d in between):
        return [f"{say}: enough of them before {until}"]
    return []
