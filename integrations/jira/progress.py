"""How far the roadmap's epics have come in Jira, for re-planning."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from integrations.jira.models import JiraGateway, StatusCategory
from integrations.jira.sync import roadmap_jql
from planner.backlog import EPIC_LABEL_PREFIX, OBSOLETE_LABEL, STORY_LABEL_PREFIX, label_safe


@dataclass(frozen=True)
class EpicProgress:
    status_category: StatusCategory
    resolution_date: datetime | None
    stories_done: int
    stories_total: int


def read_progress(
    gateway: JiraGateway, roadmap: str, epic_keys: Iterable[str] = ()
) -> dict[str, EpicProgress]:
    """Epic key -> its progress in Jira, from one paged search; obsolete issues left out.

    Epics are found by label, which holds ``label_safe(key)``; pass the plan's ``epic_keys``
    to get them back as written (otherwise the label form is used, the same for ids that
    are already lower-case kebab-case).
    """
    original = {label_safe(key): key for key in epic_keys}
    issues = [
        i
        for i in gateway.search(roadmap_jql(gateway.project_key, roadmap))
        if OBSOLETE_LABEL not in i.labels
    ]
    epics = {}
    for issue in issues:
        for label in issue.labels:
            if label.startswith(EPIC_LABEL_PREFIX):
                safe = label[len(EPIC_LABEL_PREFIX) :]
                epics[issue.key] = (original.get(safe, safe), issue)
    done: dict[str, int] = {}
    total: dict[str, int] = {}
    for issue in issues:
        if issue.epic_key in epics and any(
            label.startswith(STORY_LABEL_PREFIX) for label in issue.labels
        ):
            total[issue.epic_key] = total.get(issue.epic_key, 0) + 1
            if issue.status_category == "done":
                done[issue.epic_key] = done.get(issue.epic_key, 0) + 1
    return {
        key: EpicProgress(
            issue.status_category,
            issue.resolution_date,
            done.get(jira_key, 0),
            total.get(jira_key, 0),
        )
        for jira_key, (key, issue) in epics.items()
    }


def progress_for(progress: dict[str, EpicProgress], capability_id: str) -> EpicProgress | None:
    """The progress of a capability, looked up by its id (labels are ``label_safe``)."""
    return progress.get(label_safe(capability_id))
