"""Opening an engagement: the engagement, its catalog, the assessment and the gap, at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from planner.assessment import Assessment, assess
from planner.catalog import Catalog
from planner.engagement import Engagement
from planner.errors import Problem
from planner.gap import Gap, compute_gap


@dataclass(frozen=True)
class Workspace:
    """Everything derived from one engagement file."""

    path: Path
    engagement: Engagement
    catalog: Catalog
    assessment: Assessment
    gap: Gap
    warnings: tuple[Problem, ...] = ()


def open_workspace(path: Path, *, target_level: int | None = None) -> Workspace:
    """Read ``path`` and its catalog, assess and compute the gap; flags override the file."""
    from planner.files.engagement_loader import load_engagement

    engagement, catalog, warnings = load_engagement(path)
    if target_level is not None:
        engagement = replace(
            engagement, target=replace(engagement.target, level=target_level, areas={})
        )
    assessment = assess(catalog, engagement.current)
    gap = compute_gap(catalog, assessment, engagement.target, engagement.source)
    return Workspace(path, engagement, catalog, assessment, gap, tuple(warnings))
