"""An engagement made ready to plan: the engagement, its catalog, the assessment and the gap.

Pure: the files layer reads the engagement and its catalog
(:func:`planner.files.engagement_loader.open_workspace`) and hands them to
:func:`make_workspace`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from planner.assessment import Assessment, assess
from planner.catalog import Catalog
from planner.engagement import Engagement
from planner.errors import InputError, PlannerError, Problem, UsageError
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


def check_target_level(level: int, catalog: Catalog, option: str = "--target") -> None:
    """The same range check as ``target.level`` in the file, for a level given as a flag."""
    low, top = min(catalog.levels), catalog.max_level
    if not low <= level <= top:
        raise UsageError(
            f"{option} {level}: level {level} does not exist; levels run {low} to {top}"
        )


def make_workspace(
    engagement: Engagement,
    catalog: Catalog,
    *,
    path: Path,
    warnings: Iterable[Problem] = (),
    target_level: int | None = None,
    refuse_target_below: bool = False,
) -> Workspace:
    """Assess and compute the gap; ``target_level`` (a flag) overrides the file's target.

    With ``refuse_target_below``, a target below the current level (nothing to plan) is an
    error naming both levels, as the commands that plan want it.
    """
    if target_level is not None:
        check_target_level(target_level, catalog)
        engagement = replace(
            engagement, target=replace(engagement.target, level=target_level, areas={})
        )
    assessment = assess(catalog, engagement.current)
    gap = compute_gap(catalog, assessment, engagement.target, engagement.source)
    workspace = Workspace(path, engagement, catalog, assessment, gap, tuple(warnings))
    if refuse_target_below:
        _check_not_below(workspace, from_flag=target_level is not None)
    return workspace


def _who(engagement: Engagement) -> str:
    return engagement.client or engagement.name


def _check_not_below(workspace: Workspace, *, from_flag: bool) -> None:
    """A target below where the organisation stands is a mistake: say so with both levels."""
    gap, engagement = workspace.gap, workspace.engagement
    if gap.items or gap.target_overall >= gap.current_overall:
        return
    top = workspace.catalog.max_level
    fix = (
        f"raise it above {gap.current_overall}"
        if gap.current_overall < top
        else "the organisation is already at the top level"
    )
    message = (
        f"the target, level {gap.target_overall}, is below the current level "
        f"{gap.current_overall} of {_who(engagement)}: nothing to plan; {fix}"
    )
    if from_flag:
        raise PlannerError(f"--target {gap.target_overall}: {message}")
    where = "target.level" if engagement.target.level is not None else "target.areas"
    raise InputError([Problem(engagement.source, where, message)])


def nothing_to_plan(workspace: Workspace) -> str | None:
    """One sentence when the target is already reached (nothing to plan), else None."""
    gap = workspace.gap
    if gap.items:
        return None
    wanted = set(gap.target_levels.values())
    who = _who(workspace.engagement)
    if len(wanted) == 1:
        (level,) = wanted
        above = any(level < current for current in gap.current_levels.values())
        return (
            f"{who} is already at level {level}{' or above' if above else ''} in every area: "
            "nothing to plan"
        )
    levels = ", ".join(
        f"{workspace.catalog.areas[area]} {level}" for area, level in gap.target_levels.items()
    )
    return f"{who} already meets the target ({levels}): nothing to plan"
