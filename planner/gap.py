"""Gap analysis: what is missing to reach the target, and why each item is needed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.assessment import Assessment
from planner.catalog import Capability, Catalog
from planner.engagement import Target
from planner.errors import InputError, Problem


@dataclass(frozen=True)
class GapItem:
    """A capability to build (or finish), with what is left and why it is needed."""

    capability: Capability
    status: str
    remaining: float
    reasons: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.capability.id


@dataclass(frozen=True)
class MilestoneScope:
    """A level to reach (overall when ``area`` is None) and the gap items it needs."""

    level: int
    area: str | None
    needs: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"level-{self.level}" if self.area is None else f"level-{self.level}-{self.area}"


@dataclass(frozen=True)
class Gap:
    items: tuple[GapItem, ...]
    current_levels: Mapping[str, int]
    current_overall: int
    target_levels: Mapping[str, int]
    target_overall: int
    milestones: tuple[MilestoneScope, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def __len__(self) -> int:
        return len(self.items)


def target_levels(catalog: Catalog, target: Target, current: Mapping[str, int]) -> dict[str, int]:
    """The level wanted per area: the area's own target, else the overall one, else today's."""
    levels: dict[str, int] = {}
    for area in catalog.areas:
        wanted = target.areas.get(area, target.level)
        levels[area] = current[area] if wanted is None else wanted
    return levels


def _closure(catalog: Catalog, roots: set[str], done: set[str]) -> set[str]:
    """``roots`` plus, transitively, the prerequisites of everything not done."""
    needed = set(roots)
    stack = sorted(roots - done)
    while stack:
        cap = catalog[stack.pop()]
        for prerequisite in cap.prerequisite_ids:
            if prerequisite not in needed:
                needed.add(prerequisite)
                if prerequisite not in done:
                    stack.append(prerequisite)
    return needed


def compute_gap(
    catalog: Catalog, assessment: Assessment, target: Target, source: str = "engagement.yaml"
) -> Gap:
    """Everything needed to reach ``target``, prerequisites included, minus what is done."""
    wanted = target_levels(catalog, target, assessment.area_levels)
    done = {cid for cid, state in assessment.states.items() if state.status == "done"}
    direct = {c.id for c in catalog.capabilities if c.level <= wanted[c.area]}
    roots = (direct | set(target.include)) - set(target.exclude)
    needed = _closure(catalog, roots, done)
    problems: list[Problem] = []
    for index, cid in enumerate(target.exclude):
        if cid not in needed or cid in done:
            continue
        users = sorted(d for d in needed - done if cid in catalog[d].prerequisite_ids)
        verb = "needs" if len(users) == 1 else "need"
        problems.append(
            Problem(
                source,
                f"target.exclude[{index}]",
                f"'{cid}' is excluded but {', '.join(users)} {verb} it; "
                f"also exclude {'it' if len(users) == 1 else 'them'} or keep '{cid}'",
            )
        )
    if problems:
        raise InputError(problems)
    todo = needed - done
    dependants: dict[str, list[str]] = {cid: [] for cid in todo}
    for cid in sorted(todo):
        for prerequisite in catalog[cid].prerequisite_ids:
            if prerequisite in dependants:
                dependants[prerequisite].append(cid)
    items: list[GapItem] = []
    for cap in catalog.capabilities:
        if cap.id not in todo:
            continue
        reasons: list[str] = []
        if cap.id in direct and cap.id not in target.exclude:
            reasons.append(f"level {cap.level} · {catalog.areas[cap.area]}")
        if cap.id in target.include:
            reasons.append("included by the target")
        if dependants[cap.id]:
            reasons.append(f"needed by {', '.join(dependants[cap.id])}")
        state = assessment.states[cap.id]
        items.append(GapItem(cap, state.status, state.remaining, tuple(reasons)))
    items.sort(
        key=lambda i: (i.capability.level, list(catalog.areas).index(i.capability.area), i.id)
    )
    target_overall = min(wanted.values()) if wanted else 0
    return Gap(
        items=tuple(items),
        current_levels=dict(assessment.area_levels),
        current_overall=assessment.overall_level,
        target_levels=wanted,
        target_overall=target_overall,
        milestones=_milestones(catalog, assessment, wanted, todo, done, set(target.exclude)),
    )


def _milestones(
    catalog: Catalog,
    assessment: Assessment,
    wanted: Mapping[str, int],
    todo: set[str],
    done: set[str],
    excluded: set[str],
) -> tuple[MilestoneScope, ...]:
    """Per area and overall, each level above today's up to the target, with what it needs.

    Level L of an area needs every capability of the area at levels <= L (and their
    prerequisites); the overall level L needs every area's level min(L, its target).
    Needs grow with L, so milestones can never go backwards.
    """
    scopes: list[MilestoneScope] = []
    area_needs: dict[tuple[str, int], set[str]] = {}
    for area in catalog.areas:
        for level in range(assessment.area_levels[area] + 1, wanted[area] + 1):
            roots = {c.id for c in catalog.in_area(area) if c.level <= level} - excluded
            needs = _closure(catalog, roots, done) & todo
            area_needs[(area, level)] = needs
            scopes.append(MilestoneScope(level, area, tuple(sorted(needs))))
    top = max(wanted.values()) if wanted else 0
    for level in range(assessment.overall_level + 1, top + 1):
        overall: set[str] = set()
        for area in catalog.areas:
            for lower in range(assessment.area_levels[area] + 1, min(level, wanted[area]) + 1):
                overall |= area_needs[(area, lower)]
        scopes.append(MilestoneScope(level, None, tuple(sorted(overall))))
    scopes.sort(key=lambda s: (s.level, s.area is not None, s.area or ""))
    return tuple(scopes)
