"""Progress read back from a tracker, as re-planning takes it (``replan --from-tracker``).

The rules live here, in the core; each tracker adapter only reads its items into
:class:`EpicProgress` (through the shared identity resolver of ``integrations.tracker``).
Each epic of the previous plan (its key is the capability id) says how far its capability
has come, on the re-plan date ``today``:

- status category *done* with a resolution that means the work was dropped (Won't Do,
  Duplicate, Removed...): the capability is **dropped**, never counted as achieved; the
  re-plan keeps the answer the previous plan was made with and plans it again.
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
recorded for the item. The tracker fills the rest: capabilities with no answer, or still with the
very answer the previous plan was made with (such as the first assessment's). An item the
previous plan already had done or in progress (a re-plan's record, not an answer) is
reassessed only by an answer of ``done``. Epics not in the previous plan are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import cast

from planner.backlog import EpicProgress
from planner.engagement import CapabilityState, Status
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
    dropped: bool = False


DROPPED = Reading("missing", None, False, dropped=True)


def epic_reading(progress: EpicProgress, today: date) -> Reading:
    """The capability's state on ``today`` from its epic's status, resolution and stories."""
    category = progress.status_category
    resolved = progress.resolution_date
    if category == "done" and progress.resolution == "dropped":
        return DROPPED
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
class TrackerProgress:
    """The workspace with the tracker's progress applied, what to tell the re-plan, and what was
    left to the engagement file."""

    workspace: Workspace
    started: Started
    progress: Progress
    engagement_wins: tuple[str, ...]
    used: Mapping[str, Reading]
    tracker: str = "the tracker"

    def summary(self) -> str:
        """One line: how many epics said what, and where the engagement file won."""
        dropped = sorted(k for k, r in self.used.items() if r.dropped)
        done = sum(r.status == "done" for r in self.used.values())
        going = sum(r.status != "done" and r.started for r in self.used.values())
        waiting = len(self.used) - done - going - len(dropped)
        text = (
            f"progress read from {self.tracker}: {done} done, {going} in progress, "
            f"{waiting} not started"
        )
        if dropped:
            text += f", {len(dropped)} dropped (closed without being done: {', '.join(dropped)})"
        if self.engagement_wins:
            text += "; the engagement file's answers win for " + ", ".join(self.engagement_wins)
        return text


def apply_readings(
    workspace: Workspace,
    previous: Plan,
    found: Mapping[str, Reading],
    tracker: str = "the tracker",
) -> TrackerProgress:
    """The tracker's readings over the engagement's answers, except where the engagement reassesses
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
        if reading.dropped:
            started[cap_id] = False  # not achieved: planned again, on the previous answer
            continue
        if reading.status != "done":
            started[cap_id] = reading.started
        if reading.status == "done" or reading.remaining is not None:
            progress[cap_id] = (reading.status, reading.remaining)
        elif item.status in ("missing", "partial"):
            # No story done: the answer the previous plan was made with, so that the
            # re-plan's calendar rule (in progress) or that share (to do) applies.
            progress[cap_id] = (cast(Status, item.status), item.remaining)
    return TrackerProgress(
        with_progress(workspace, progress, evidence=f"read back from {tracker}"),
        started,
        progress,
        tuple(wins),
        used,
        tracker,
    )


def progress_from_tracker(
    epics: Mapping[str, EpicProgress],
    workspace: Workspace,
    previous: Plan,
    today: date,
    tracker: str = "the tracker",
) -> TrackerProgress:
    """Apply the previous plan's epics as read from the tracker to ``workspace``."""
    return apply_readings(workspace, previous, readings(epics, previous, today), tracker)
