"""Progress read back from Jira, as re-planning takes it (``replan --from-jira``).

Each epic of the previous plan (its key is the capability id) says how far its capability
has come, on the re-plan date ``today``:

- status category *done*, resolved on or before ``today`` (or with no resolution date):
  the capability is **done**. Resolved after ``today``, it was still in progress then.
- *in progress*: the capability is **in progress**. With ``k`` of its ``n`` stories done
  (``k > 0``), what is left is ``1 - k/n`` of it (at least :data:`MIN_REMAINING`); with none
  done, the re-plan's calendar rule decides (remaining ``None``: what the previous plan had
  not yet worked through by ``today``).
- *to do*: **not started**: planned again from ``today``, with the share of the work the
  previous plan had for it (or ``1 - k/n`` if some stories are done all the same).

**The engagement file wins when it reassesses a capability**: its answer in
``current.capabilities`` differs from the status and remaining share the previous plan
recorded for the item. Jira fills the rest: capabilities with no answer, or still with the
very answer the previous plan was made with (such as the first assessment's). An item the
previous plan already had done or in progress (a re-plan's record, not an answer) is
reassessed only by an answer of ``done``. Epics not in the previous plan are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from integrations.jira.models import JiraGateway
from integrations.jira.progress import EpicProgress, read_progress
from integrations.jira.settings import ENV_TOKEN
from planner.backlog_build import roadmap_label
from planner.engagement import CapabilityState, Status
from planner.errors import InputError, Problem
from planner.plan import Plan, PlannedItem
from planner.scheduling.replan import Progress, Started, with_progress
from planner.workspace import Workspace

MIN_REMAINING = 0.05
"""The least share left of a capability in progress (all stories done, epic still open)."""


@dataclass(frozen=True)
class Reading:
    """What one epic says about its capability on the re-plan date."""

    status: Status
    remaining: float | None
    """Share still to do for ``partial``; None: the calendar rule (or the engagement's)."""
    started: bool


def epic_reading(progress: EpicProgress, today: date) -> Reading:
    """The capability's state on ``today`` from its epic's status, resolution and stories."""
    category = progress.status_category
    resolved = progress.resolution_date
    if category == "done" and (resolved is None or resolved.date() <= today):
        return Reading("done", None, True)
    done, total = progress.stories_done, progress.stories_total
    share = max(1.0 - done / total, MIN_REMAINING) if total > 0 and done > 0 else None
    if category == "to-do":
        return Reading("partial" if share is not None else "missing", share, False)
    return Reading("partial", share, True)


def readings(
    progress: Mapping[str, EpicProgress], previous: Plan, today: date
) -> dict[str, Reading]:
    """Capability id -> reading, for the previous plan's items that have an epic."""
    return {
        item.id: epic_reading(progress[item.id], today)
        for item in previous.items
        if item.id in progress
    }


def _reassessed(item: PlannedItem, answer: CapabilityState | None) -> bool:
    if answer is None:
        return False
    if item.state in ("done", "in-progress"):
        return answer.status == "done"
    return answer.status != item.status or abs(answer.remaining - item.remaining) > 1e-9


@dataclass(frozen=True)
class JiraProgress:
    """The workspace with Jira's progress applied, what to tell the re-plan, and what was
    left to the engagement file."""

    workspace: Workspace
    started: Started
    progress: Progress
    engagement_wins: tuple[str, ...]
    used: Mapping[str, Reading]

    def summary(self) -> str:
        """One line: how many epics said what, and where the engagement file won."""
        done = sum(r.status == "done" for r in self.used.values())
        going = sum(r.status != "done" and r.started for r in self.used.values())
        waiting = len(self.used) - done - going
        text = f"progress read from Jira: {done} done, {going} in progress, {waiting} not started"
        if self.engagement_wins:
            text += "; the engagement file's answers win for " + ", ".join(self.engagement_wins)
        return text


def apply_readings(
    workspace: Workspace, previous: Plan, found: Mapping[str, Reading]
) -> JiraProgress:
    """Jira's readings over the engagement's answers, except where the engagement reassesses
    (see the module's documentation)."""
    answers = workspace.engagement.current.capabilities
    items = {item.id: item for item in previous.items}
    progress: dict[str, tuple[Status, float | None]] = {}
    started: dict[str, bool] = {}
    wins: list[str] = []
    used: dict[str, Reading] = {}
    for cap_id, reading in sorted(found.items()):
        item = items.get(cap_id)
        if item is None or cap_id not in workspace.catalog:
            continue
        if _reassessed(item, answers.get(cap_id)):
            wins.append(cap_id)
            continue
        used[cap_id] = reading
        if reading.status != "done":
            started[cap_id] = reading.started
        if reading.status == "done" or reading.remaining is not None:
            progress[cap_id] = (reading.status, reading.remaining)
        elif item.status in ("missing", "partial"):
            # No story done: the answer the previous plan was made with, so that the
            # re-plan's calendar rule (in progress) or that share (to do) applies.
            progress[cap_id] = (cast(Status, item.status), item.remaining)
    return JiraProgress(
        with_progress(workspace, progress, evidence="read back from Jira"),
        started,
        progress,
        tuple(wins),
        used,
    )


def progress_from_jira(
    gateway: JiraGateway, workspace: Workspace, previous: Plan, today: date
) -> JiraProgress:
    """Read the previous plan's epics from Jira and apply them to ``workspace``."""
    epics = read_progress(
        gateway, roadmap_label(previous), epic_keys=[item.id for item in previous.items]
    )
    return apply_readings(workspace, previous, readings(epics, previous, today))


def read_jira_progress(
    workspace: Workspace,
    previous: Plan,
    today: date,
    *,
    credentials: Path | None = None,
    url: str | None = None,
    project: str | None = None,
) -> JiraProgress:
    """What ``replan --from-jira`` calls: where Jira is and who reads it, as for a push
    (flags, then the plan and the engagement's ``jira:`` section, then the credentials'
    ``JIRA_URL``); then :func:`progress_from_jira`. Jira's failures raise TrackerError."""
    from integrations.jira import push
    from integrations.jira.gateway import connect

    found = push.find_credentials(file=credentials)
    if found is None:
        raise InputError(
            [
                Problem(
                    "replan",
                    ENV_TOKEN,
                    "is missing: --from-jira needs JIRA_URL, JIRA_USER and JIRA_API_TOKEN "
                    "or --credentials FILE",
                )
            ]
        )
    settings = push.jira_settings(
        plan=previous,
        target=workspace.engagement.jira,
        url=url,
        project=project,
        credentials=found,
        source="replan",
    )
    assert settings is not None
    session = push.session_factory() if push.session_factory is not None else None
    gateway = connect(settings, found, session=session)
    return progress_from_jira(gateway, workspace, previous, today)
