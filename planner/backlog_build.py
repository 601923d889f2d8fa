"""The plan as backlog items: one epic per capability, its stories, the overall milestones
as versions and a "Blocks" link per prerequisite inside the plan. Pure, no I/O.

The epic description is rendered by a function the caller passes (the Jira integration
renders it from a Jinja2 template in wiki markup); without one, the capability's own
description is used, so this module needs no template engine.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.backlog import (
    MAX_LABEL_LENGTH,
    Backlog,
    EpicItem,
    LinkItem,
    StoryItem,
    VersionItem,
    label_safe,
)
from planner.plan import Plan, PlannedItem, PlannedMilestone

HOURS_PER_PERSON_DAY = 8
"""An estimate in person-days becomes ``8 h`` per day in Jira's original estimate."""
DEFAULT_ROADMAP = "mlops-roadmap"

DescribeEpic = Callable[[Plan, PlannedItem], str]
"""Renders the description of a capability's epic (already in the tracker's markup)."""


def roadmap_label(plan: Plan, roadmap: str | None = None) -> str:
    """The roadmap label: ``roadmap`` if given, else the plan's, else from the engagement name.

    >>> from types import SimpleNamespace
    >>> roadmap_label(SimpleNamespace(roadmap_label=None, engagement="Northgate Bank — L1 to 3"))
    'northgate-bank-l1-to-3'
    """
    for candidate in (roadmap, plan.roadmap_label, plan.engagement):
        label = label_safe(candidate or "")[:MAX_LABEL_LENGTH].strip("-")
        if label:
            return label
    return DEFAULT_ROADMAP


def level_label(level: int) -> str:
    return f"mlops-level-{level}"


def area_label(area: str) -> str:
    return f"mlops-area-{label_safe(area)}"


def story_key(capability_id: str, number: int, story_id: str | None = None) -> str:
    """The stable key of a capability's story: ``<cap-id>/<story id>``, or by position
    (``<cap-id>/<n>``, from 1) for a story the catalog gives no id."""
    return f"{capability_id}/{story_id or number}"


def plain_description(plan: Plan, item: PlannedItem) -> str:
    """The capability's own description: what :func:`backlog_from_plan` uses by default."""
    return item.description


def backlog_from_plan(
    plan: Plan, *, roadmap: str | None = None, describe: DescribeEpic | None = None
) -> Backlog:
    """The backlog items of ``plan``, in plan order; the same plan gives the same backlog."""
    render = describe or plain_description
    versions_by_id = {m.id: m for m in plan.overall_milestones}
    planned = {item.id for item in plan.items}
    epics = tuple(_epic(plan, item, versions_by_id, render) for item in plan.items)
    versions = tuple(_version(plan, m) for m in plan.overall_milestones)
    links = tuple(
        dict.fromkeys(
            LinkItem(blocker=required, blocked=item.id)
            for item in plan.items
            for required in item.requires
            if required in planned and required != item.id
        )
    )
    return Backlog(roadmap_label(plan, roadmap), epics, versions, links)


def _epic(
    plan: Plan,
    item: PlannedItem,
    versions_by_id: dict[str, PlannedMilestone],
    render: DescribeEpic,
) -> EpicItem:
    labels = (level_label(item.level), area_label(item.area))
    milestone = versions_by_id.get(item.milestone or "")
    stories = tuple(
        StoryItem(
            key=story_key(item.id, number, story.id),
            summary=story.title,
            description=story.description,
            labels=labels,
            former_key=story_key(item.id, number) if story.id else None,
        )
        for number, story in enumerate(item.stories, start=1)
    )
    return EpicItem(
        key=item.id,
        summary=item.title,
        description=render(plan, item),
        labels=labels,
        due_date=item.end,
        estimate_hours=round(item.person_days * HOURS_PER_PERSON_DAY, 2),
        fix_version=milestone.title if milestone is not None else None,
        start_date=item.start,
        stories=stories,
    )


def _version(plan: Plan, milestone: PlannedMilestone) -> VersionItem:
    count = len(milestone.capabilities)
    description = (
        f"{plan.engagement}: level {milestone.level} reached when its {count} "
        f"capabilit{'y is' if count == 1 else 'ies are'} done"
    )
    if milestone.deadline is not None:
        description += f" (deadline {milestone.deadline.isoformat()})"
    return VersionItem(milestone.title, milestone.date, description)
