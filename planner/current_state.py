"""The current state as the plan records it: per area, the assessed level and why."""

from __future__ import annotations

from collections.abc import Mapping

from planner.assessment import Assessment
from planner.catalog import Catalog
from planner.engagement import CurrentState
from planner.plan import AssessedArea, AssessedCapability


def assessed_areas(
    catalog: Catalog,
    assessment: Assessment,
    current: CurrentState,
    targets: Mapping[str, int],
) -> tuple[AssessedArea, ...]:
    """Each area's level and target with the capabilities up to the level above both: the
    ones done explain the level, the first one not done explains why it is not higher."""
    areas = []
    for area in catalog.areas:
        level = assessment.area_levels[area]
        target = targets.get(area, level)
        top = min(max(level, target) + 1, catalog.max_level)
        capabilities = tuple(
            AssessedCapability(
                id=cap.id,
                title=cap.title,
                level=cap.level,
                status=assessment.states[cap.id].status,
                remaining=assessment.states[cap.id].remaining,
                evidence=assessment.states[cap.id].evidence,
                answered=cap.id in current.capabilities,
            )
            for cap in sorted(catalog.in_area(area), key=lambda c: c.level)
            if cap.level <= top
        )
        areas.append(AssessedArea(area, level, target, capabilities))
    return tuple(areas)
