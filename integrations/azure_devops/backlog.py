"""The plan's backlog as Azure DevOps Boards takes it.

The same backlog as every other tracker (items, identity tags, links), with two differences
of presentation: descriptions are HTML, and the backlog's "versions" are the plan's
**sprints** (iterations with dates), each epic's version being the sprint it starts in.
The milestones (levels reached) show on each work item as its ``mlops-level-<n>`` tag.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from integrations.azure_devops.describe import epic_description, story_description
from planner.backlog import Backlog, VersionItem, check_backlog
from planner.backlog_build import backlog_from_plan
from planner.errors import InputError
from planner.plan import Plan


@dataclass(frozen=True)
class Sprint:
    name: str
    start: date
    finish: date


def sprint_name(number: int) -> str:
    return f"Sprint {number}"


def plan_sprints(plan: Plan) -> tuple[Sprint, ...]:
    """Every sprint of the plan with its dates: from the plan's start, back to back."""
    length = timedelta(days=7 * plan.sprint_weeks)
    starts = {s.sprint: s.start for s in plan.sprints}
    last = max([*starts, *(item.sprint_end for item in plan.items)], default=0)
    return tuple(
        Sprint(
            sprint_name(n),
            starts.get(n, plan.start + (n - 1) * length),
            starts.get(n, plan.start + (n - 1) * length) + length - timedelta(days=1),
        )
        for n in range(1, last + 1)
    )


def azure_backlog(plan: Plan, *, roadmap: str | None = None) -> tuple[Backlog, tuple[Sprint, ...]]:
    """The backlog to push to Boards and the sprints it uses; checked."""
    backlog = backlog_from_plan(plan, roadmap=roadmap, describe=epic_description)
    sprints = plan_sprints(plan)
    first = {item.id: sprint_name(item.sprint_start) for item in plan.items}
    epics = tuple(
        dataclasses.replace(
            epic,
            fix_version=first.get(epic.key),
            stories=tuple(
                dataclasses.replace(
                    story,
                    description=story_description(story.description),
                    fix_version=first.get(epic.key),  # in its epic's sprint, and follows it
                )
                for story in epic.stories
            ),
        )
        for epic in backlog.epics
    )
    versions = tuple(VersionItem(s.name, s.finish, "") for s in sprints)
    backlog = dataclasses.replace(backlog, epics=epics, versions=versions)
    if problems := check_backlog(backlog, source="plan"):
        raise InputError(problems)
    return backlog, sprints
