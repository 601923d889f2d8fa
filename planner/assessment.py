"""Assessment: what is in place today, the levels it implies, and where answers disagree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.catalog import Catalog
from planner.engagement import CapabilityState, CurrentState


@dataclass(frozen=True)
class Assessment:
    """Every capability's state, the levels they imply, and the disagreements found."""

    states: Mapping[str, CapabilityState]
    area_levels: Mapping[str, int]
    overall_level: int
    discrepancies: tuple[str, ...] = ()

    def is_done(self, capability_id: str) -> bool:
        return self.states[capability_id].status == "done"


def area_level(catalog: Catalog, area: str, states: Mapping[str, CapabilityState]) -> int:
    """The highest level L such that every capability of ``area`` at levels <= L is done."""
    reached = min(catalog.levels)
    for level in sorted(catalog.levels):
        needed = [c for c in catalog.in_area(area) if c.level <= level]
        if all(states[c.id].status == "done" for c in needed):
            reached = level
        else:
            break
    return reached


def derive_levels(catalog: Catalog, states: Mapping[str, CapabilityState]) -> dict[str, int]:
    return {area: area_level(catalog, area, states) for area in catalog.areas}


def assess(catalog: Catalog, current: CurrentState) -> Assessment:
    """Combine stated levels and per-capability answers.

    A per-capability answer always wins. A capability without one is done when a stated
    level covers it (its area's level, else the overall level, is at or above its level),
    and missing otherwise. Every disagreement between a stated level and the answers is
    reported, with the capabilities that cause it.
    """
    states: dict[str, CapabilityState] = {}
    for cap in catalog.capabilities:
        answer = current.capabilities.get(cap.id)
        stated = current.areas.get(cap.area, current.level)
        if answer is not None:
            states[cap.id] = answer
        elif stated is not None and cap.level <= stated:
            states[cap.id] = CapabilityState.done(f"implied by stated level {stated}")
        else:
            states[cap.id] = CapabilityState.missing()
    levels = derive_levels(catalog, states)
    overall = min(levels.values()) if levels else 0
    notes: list[str] = []
    for area, title in catalog.areas.items():
        stated = current.areas.get(area)
        where = f"current.areas.{area}"
        if stated is None:
            stated, where = current.level, "current.level"
        if stated is None:
            continue
        if levels[area] < stated:
            blocking = [
                f"{c.id} (level {c.level}, {states[c.id].status})"
                for c in catalog.in_area(area)
                if c.level <= stated and states[c.id].status != "done"
            ]
            notes.append(
                f"{where} says {title} is at level {stated}, but the answers put it at level "
                f"{levels[area]}: not done: {', '.join(blocking)}"
            )
        elif levels[area] > stated and any(
            c.id in current.capabilities for c in catalog.in_area(area)
        ):
            notes.append(
                f"{where} says {title} is at level {stated}, but every capability up to level "
                f"{levels[area]} is answered done: the area is at level {levels[area]}"
            )
    if current.level is not None and current.areas and overall != current.level:
        notes.append(
            f"current.level says {current.level}, but the area levels put the "
            f"organisation at level {overall} (the lowest area level)"
        )
    return Assessment(states, levels, overall, tuple(notes))
