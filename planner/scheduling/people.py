"""Named people with several skills, framed for the engine by expanding staffing options.

The engine knows renewable resources and modes only, so people become both:

- people with the same roles, efficiencies and day rate are interchangeable: they form one
  **skill group**, a resource ``people:<names>`` holding as many units as members; the
  anonymous counts of ``team.roles`` stay one resource per role, as without names;
- a staffing option (role -> people) becomes one engine mode per way of covering each
  role's units from that role's anonymous people and the groups whose people have the role;
  a person covers one role at a time, in one capability at a time (a group never gives
  more units to one capability than it has members);
- **efficiency**: a capability covered by someone at efficiency e < 1 in the role they
  cover lasts ``ceil(weeks x 5 x remaining / focus / e)`` working days, e the lowest
  efficiency among those covering it; everyone on it is held, and paid, for that longer
  time (the work goes at the pace of its slowest member);
- **cost**: each unit at the person's own day rate when given, else at the covered role's;
- ways dominated by another (no more of any resource, no longer, no dearer) are dropped;
  more than :data:`MAX_WAYS` ways left for one capability is refused with the fix.

After solving, the members of a group are named by interval assignment (every member has
the same calendar, so the group's units are always enough for a member each): deterministic,
lowest free name first.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from planner.calendar import DAYS_PER_WEEK
from planner.catalog import StaffingOption
from planner.engagement import Person, Team
from planner.errors import InputError, Problem

GROUP_PREFIX = "people:"
MAX_WAYS = 200
"""Most engine modes one capability may get from a team's people (see the module's text)."""
MAX_COMBINATIONS = 50_000


@dataclass(frozen=True)
class SkillGroup:
    """Interchangeable people: the same roles, efficiencies and day rate (and calendar: a
    person named in ``team.changes`` is a group of their own)."""

    id: str
    members: tuple[str, ...]
    like: Person
    """One of them (all share its roles, efficiencies and day rate)."""

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Cover:
    """``units`` people of ``source`` (a role's anonymous people or a skill group) on ``role``."""

    role: str
    source: str
    units: int


@dataclass(frozen=True)
class Staffing:
    """One engine mode: a staffing option covered in one way."""

    option: int
    """The catalog's staffing option, from 0."""
    covers: tuple[Cover, ...]
    efficiency: float
    """The lowest efficiency of those covering it (1 without people below full speed)."""


@dataclass(frozen=True)
class Way:
    staffing: Staffing
    days: int
    person_days: float
    cost: float
    demands: Mapping[str, int]


def skill_groups(team: Team) -> tuple[SkillGroup, ...]:
    """The team's named people, interchangeable ones together, in name order."""
    keyed: dict[tuple[object, ...], list[Person]] = {}
    changing = {c.person for c in team.changes if c.person is not None}
    for person in sorted(team.people, key=lambda p: p.name):
        key = (
            tuple(sorted(person.roles)),
            tuple(sorted((r, e) for r, e in person.efficiency.items() if e < 1)),
            person.day_rate,
            person.name if person.name in changing else "",  # their own calendar
        )
        keyed.setdefault(key, []).append(person)
    groups = [
        SkillGroup(
            GROUP_PREFIX + "+".join(p.name for p in people),
            tuple(p.name for p in people),
            people[0],
        )
        for people in keyed.values()
    ]
    return tuple(sorted(groups, key=lambda g: g.members))


def _splits(units: int, caps: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Every way to share ``units`` among sources with these capacities."""
    if not caps:
        if units == 0:
            yield ()
        return
    for first in range(min(units, caps[0]), -1, -1):
        for rest in _splits(units - first, caps[1:]):
            yield (first, *rest)


def expand_option(
    index: int,
    option: StaffingOption,
    remaining: float,
    team: Team,
    groups: Sequence[SkillGroup],
    pool: Mapping[str, int],
) -> list[Way]:
    """Every way to cover ``option`` with the anonymous people (at most ``pool[role]`` of a
    role at the busiest time) and the skill groups."""
    effort_days = option.weeks * DAYS_PER_WEEK * remaining
    by_id = {g.id: g for g in groups}
    per_role: list[list[tuple[Cover, ...]]] = []
    for role, count in sorted(option.people.items()):
        sources = [role, *(g.id for g in groups if role in g.like.roles)]
        caps = [pool.get(role, 0), *(by_id[s].size for s in sources[1:])]
        per_role.append(
            [
                tuple(Cover(role, s, n) for s, n in zip(sources, split, strict=True) if n)
                for split in _splits(count, caps)
            ]
        )
    if math.prod(len(c) for c in per_role) > MAX_COMBINATIONS:
        raise TooManyWays(option.people, 0)
    ways = []
    for choice in product(*per_role):
        covers = tuple(c for covers in choice for c in covers)
        demands: dict[str, int] = {}
        for cover in covers:
            demands[cover.source] = demands.get(cover.source, 0) + cover.units
        if any(demands[g] > by_id[g].size for g in demands if g in by_id):
            continue
        efficiency = min(
            (by_id[c.source].like.efficiency_in(c.role) for c in covers if c.source in by_id),
            default=1.0,
        )
        held = effort_days / efficiency
        days = max(1, math.ceil(round(held / team.focus_factor, 6)))
        cost = sum(
            held * c.units * team.rate(c.role, by_id[c.source].like if c.source in by_id else None)
            for c in covers
        )
        ways.append(
            Way(
                Staffing(index, covers, efficiency),
                days,
                held * sum(option.people.values()),
                cost,
                dict(sorted(demands.items())),
            )
        )
    return ways


class TooManyWays(Exception):
    def __init__(self, people: Mapping[str, int], ways: int) -> None:
        super().__init__(people, ways)
        self.people = people
        self.ways = ways


def staffing_ways(
    capability: str,
    options: Sequence[StaffingOption],
    remaining: float,
    team: Team,
    groups: Sequence[SkillGroup],
    pool: Mapping[str, int],
    pinned: int | None = None,
    source: str = "engagement",
) -> list[Way]:
    """The engine modes of one capability: undominated ways over its allowed options, in a
    fixed order (option, days, cost, resources); when no option can be covered at all, each
    option by anonymous people as without names (the solver then explains what is missing)."""
    allowed = [pinned] if pinned is not None else range(len(options))
    ways: list[Way] = []
    try:
        for index in allowed:
            ways += expand_option(index, options[index], remaining, team, groups, pool)
    except TooManyWays as error:
        raise _too_many(source, capability, error.people, team) from None
    if not ways:  # short of people whatever the way: the ways hiring the fewest
        ways = _fewest_hires(capability, options, allowed, remaining, team, groups, pool, source)
    ways.sort(key=lambda w: (w.staffing.option, w.days, w.cost, tuple(w.demands.items())))
    kept: list[Way] = []
    for way in ways:
        if not any(_dominates(other, way) for other in kept):
            kept = [k for k in kept if not _dominates(way, k)]
            kept.append(way)
    kept.sort(key=lambda w: (w.staffing.option, w.days, w.cost, tuple(w.demands.items())))
    if len(kept) > MAX_WAYS:
        raise _too_many(
            source, capability, options[kept[-1].staffing.option].people, team, len(kept)
        )
    return kept


def _dominates(a: Way, b: Way) -> bool:
    return (
        a.days <= b.days
        and a.cost <= b.cost + 1e-9
        and all(b.demands.get(r, 0) >= n for r, n in a.demands.items())
    )


def _fewest_hires(
    capability: str,
    options: Sequence[StaffingOption],
    allowed: Sequence[int],
    remaining: float,
    team: Team,
    groups: Sequence[SkillGroup],
    pool: Mapping[str, int],
    source: str,
) -> list[Way]:
    """When no option can be covered by the team, the ways that need the fewest anonymous
    people beyond the team's (the solver then says which hire makes it possible)."""
    roles = {role for option in options for role in option.people}
    unlimited = {role: max(pool.values(), default=0) + 99 for role in roles}
    ways: list[Way] = []
    try:
        for index in allowed:
            ways += expand_option(index, options[index], remaining, team, groups, unlimited)
    except TooManyWays as error:
        raise _too_many(source, capability, error.people, team) from None

    def hires(way: Way) -> int:
        return sum(max(0, n - pool.get(r, 0)) for r, n in way.demands.items() if r in roles)

    fewest = min(hires(w) for w in ways)
    return [w for w in ways if hires(w) == fewest]


def _too_many(
    source: str, capability: str, people: Mapping[str, int], team: Team, ways: int | None = None
) -> InputError:
    count = f"{ways} ways" if ways else f"more than {MAX_COMBINATIONS:,} combinations"
    return InputError(
        [
            Problem(
                source,
                "team.people",
                f"'{capability}' (staffing {dict(people)}) has {count} to be staffed from "
                f"the {len(team.people)} named people (at most {MAX_WAYS}); give people "
                "with the same skills the same roles, efficiencies and day rate (they are "
                "then interchangeable), or count some of them under team.roles instead",
            )
        ]
    )


def name_people(
    groups: Sequence[SkillGroup],
    held: Sequence[tuple[str, int, int, Staffing]],
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Who covers what: capability -> role -> names, from ``(capability, start, end,
    staffing)``. Within each group, by start (then id), each use takes the first members
    free by then, in name order (deterministic)."""
    names: dict[str, dict[str, list[str]]] = {}
    for group in groups:
        free_from = dict.fromkeys(group.members, 0)
        uses = sorted(
            (start, cap, end, staffing)
            for cap, start, end, staffing in held
            if any(c.source == group.id for c in staffing.covers)
        )
        for start, cap, end, staffing in uses:
            for cover in staffing.covers:
                if cover.source != group.id:
                    continue
                free = [m for m in group.members if free_from[m] <= start]
                if len(free) < cover.units:  # never expected: the group's capacity holds
                    raise AssertionError(f"{group.id} over-used at {start}")
                for member in free[: cover.units]:
                    free_from[member] = end
                    names.setdefault(cap, {}).setdefault(cover.role, []).append(member)
    return {
        cap: {role: tuple(sorted(who)) for role, who in sorted(roles.items())}
        for cap, roles in names.items()
    }
