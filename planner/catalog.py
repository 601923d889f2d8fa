"""Capabilities and catalogs: the pure data of a maturity model, and its meaning checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from planner.errors import Problem


@dataclass(frozen=True)
class StaffingOption:
    """One way to staff a capability: a duration and a number of people per role.

    ``weeks`` is the likely duration; ``optimistic`` and ``pessimistic`` (weeks, optional)
    bound it for forecasts. Without them the estimate is taken as exact.
    """

    weeks: float
    people: Mapping[str, int]
    optimistic: float | None = None
    pessimistic: float | None = None

    @property
    def person_weeks(self) -> float:
        return self.weeks * sum(self.people.values())

    @property
    def low(self) -> float:
        """The optimistic duration in weeks (the likely one when no range is given)."""
        return self.weeks if self.optimistic is None else self.optimistic

    @property
    def high(self) -> float:
        """The pessimistic duration in weeks (the likely one when no range is given)."""
        return self.weeks if self.pessimistic is None else self.pessimistic

    @property
    def has_range(self) -> bool:
        return self.high > self.low

    def describe(self, role_titles: Mapping[str, str] | None = None) -> str:
        titles = role_titles or {}
        crew = " + ".join(
            f"{count} {titles.get(role, role)}" for role, count in sorted(self.people.items())
        )
        weeks = f"{self.weeks:g} week" + ("" if self.weeks == 1 else "s")
        return f"{weeks} of {crew}"


@dataclass(frozen=True)
class Prerequisite:
    """A capability that must be finished first, optionally with a lag in weeks."""

    id: str
    lag_weeks: float = 0.0


@dataclass(frozen=True)
class Story:
    title: str
    description: str = ""
    id: str | None = None
    """Stable within its capability; None: the story is known by its position."""


@dataclass(frozen=True)
class SeedRef:
    """A row of the maturity model that a capability covers, quoted exactly."""

    level: int
    column: str
    text: str


@dataclass(frozen=True)
class Capability:
    """One thing an organisation can do; it becomes an epic."""

    id: str
    title: str
    area: str
    level: int
    description: str
    requires: tuple[Prerequisite, ...] = ()
    effort: tuple[StaffingOption, ...] = ()
    deliverables: tuple[str, ...] = ()
    success_criteria: tuple[str, ...] = ()
    stories: tuple[Story, ...] = ()
    tags: tuple[str, ...] = ()
    seed: tuple[SeedRef, ...] = ()

    @property
    def prerequisite_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.requires)


@dataclass(frozen=True)
class Origin:
    """Where a capability was last defined or changed: file, place and line."""

    source: str
    location: str
    line: int | None = None


@dataclass(frozen=True)
class Catalog:
    """The capabilities of a maturity model, with its levels, areas and roles."""

    id: str
    version: str
    title: str
    levels: Mapping[int, str]
    areas: Mapping[str, str]
    roles: Mapping[str, str]
    capabilities: tuple[Capability, ...]
    source: str = ""
    estimates: str = ""
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def by_id(self) -> dict[str, Capability]:
        return {c.id: c for c in self.capabilities}

    def __getitem__(self, capability_id: str) -> Capability:
        return self.by_id[capability_id]

    def __contains__(self, capability_id: object) -> bool:
        return capability_id in self.by_id

    @property
    def max_level(self) -> int:
        return max(self.levels)

    def in_area(self, area: str) -> tuple[Capability, ...]:
        return tuple(c for c in self.capabilities if c.area == area)

    def origin(self, capability_id: str) -> Origin:
        return self.origins.get(capability_id, Origin(self.id, f"capabilities.{capability_id}"))


@dataclass(frozen=True)
class EstimateRange:
    """An engagement's own optimistic and pessimistic weeks for one staffing option."""

    optimistic: float
    pessimistic: float


def with_estimates(catalog: Catalog, estimates: Mapping[str, tuple[EstimateRange, ...]]) -> Catalog:
    """The catalog with the ranges of some staffing options replaced (an engagement's own)."""
    if not estimates:
        return catalog
    capabilities = []
    for cap in catalog.capabilities:
        ranges = estimates.get(cap.id)
        if ranges is not None:
            cap = replace(
                cap,
                effort=tuple(
                    replace(option, optimistic=r.optimistic, pessimistic=r.pessimistic)
                    for option, r in zip(cap.effort, ranges, strict=False)
                )
                + cap.effort[len(ranges) :],
            )
        capabilities.append(cap)
    return replace(catalog, capabilities=tuple(capabilities), origins=catalog.origins)


def range_problem(weeks: float, optimistic: float | None, pessimistic: float | None) -> str | None:
    """Why a range does not fit around its likely weeks, or None when it does."""
    low = weeks if optimistic is None else optimistic
    high = weeks if pessimistic is None else pessimistic
    if not 0 < low <= weeks <= high:
        return (
            f"the range must hold the likely duration: 0 < optimistic ({low:g}) <= weeks "
            f"({weeks:g}) <= pessimistic ({high:g})"
        )
    return None


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every elementary cycle's representative, one per strongly connected component.

    Each cycle is returned closed (``[a, b, c, a]``) starting from its smallest id, so the
    output is deterministic. Edges to unknown nodes are ignored.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    def visit(root: str) -> None:
        nonlocal counter
        # iterative Tarjan to survive deep graphs
        work: list[tuple[str, list[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, sorted(n for n in graph.get(root, ()) if n in graph)))
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(n for n in graph.get(nxt, ()) if n in graph)))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in set(graph.get(node, ())):
                    components.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return [_cycle_in(sorted(c), graph) for c in sorted(components)]


def _cycle_in(component: list[str], graph: Mapping[str, Iterable[str]]) -> list[str]:
    """A closed path through the component starting at its smallest member (BFS, shortest)."""
    members = set(component)
    start = component[0]
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt_frontier: list[str] = []
        for node in frontier:
            for nxt in sorted(graph.get(node, ())):
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [start]
                    walk = node
                    while walk != start:
                        path.append(walk)
                        walk = parents[walk]
                    path.append(start)
                    return [start, *reversed(path[1:-1]), start]
                if nxt not in parents:
                    parents[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return [start, start]


def check_catalog(catalog: Catalog) -> list[Problem]:
    """Meaning checks over a whole (merged) catalog; all problems, errors and warnings."""
    problems: list[Problem] = []

    def report(cap: Capability, where: str, message: str, severity: str = "error") -> None:
        origin = catalog.origin(cap.id)
        location = f"{origin.location}.{where}" if where else origin.location
        problems.append(Problem(origin.source, location, message, origin.line, severity))

    seen: set[str] = set()
    for cap in catalog.capabilities:
        if cap.id in seen:
            report(cap, "id", f"duplicate capability id '{cap.id}'; ids must be unique")
        seen.add(cap.id)
        if cap.area not in catalog.areas:
            report(
                cap,
                "area",
                f"unknown area '{cap.area}'; use one of: {', '.join(catalog.areas)}",
            )
        if cap.level not in catalog.levels:
            levels = ", ".join(str(level) for level in sorted(catalog.levels))
            report(cap, "level", f"unknown level {cap.level}; use one of: {levels}")
        if not cap.effort:
            report(cap, "effort", "needs at least one staffing option")
        for number, option in enumerate(cap.effort):
            if option.weeks <= 0:
                report(
                    cap,
                    f"effort[{number}].weeks",
                    f"must be a duration in weeks > 0, got {option.weeks:g}",
                )
            spread = range_problem(option.weeks, option.optimistic, option.pessimistic)
            if option.weeks > 0 and spread:
                report(cap, f"effort[{number}]", spread)
            if not option.people:
                report(cap, f"effort[{number}].people", "needs at least one role with people")
            for role, count in option.people.items():
                if role not in catalog.roles:
                    report(
                        cap,
                        f"effort[{number}].people.{role}",
                        f"unknown role '{role}'; declare it under roles: or use one of: "
                        f"{', '.join(catalog.roles)}",
                    )
                if count < 1:
                    report(
                        cap,
                        f"effort[{number}].people.{role}",
                        f"must be a whole number of people >= 1, got {count}",
                    )
        for number, prerequisite in enumerate(cap.requires):
            other = catalog.by_id.get(prerequisite.id)
            where = f"requires[{number}]"
            if prerequisite.id == cap.id:
                report(cap, where, "a capability cannot require itself; remove it")
            elif other is None:
                report(
                    cap,
                    where,
                    f"unknown prerequisite '{prerequisite.id}'; it is not in the catalog "
                    "(removed by an overlay or misspelt?) — fix the id or drop the requirement",
                )
            elif other.level > cap.level:
                report(
                    cap,
                    where,
                    f"prerequisite '{other.id}' is at level {other.level}, higher than this "
                    f"capability's level {cap.level}; reaching level {cap.level} will need it",
                    severity="warning",
                )
    graph = {c.id: [p.id for p in c.requires if p.id != c.id] for c in catalog.capabilities}
    for cycle in find_cycles(graph):
        first = catalog.by_id[cycle[0]]
        report(
            first,
            "requires",
            "dependency cycle "
            + " -> ".join(cycle)
            + "; remove one of these requirements so the capabilities can be ordered",
        )
    return problems
