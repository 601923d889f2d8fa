"""Import files for trackers, rendered from the very backlog a push sends.

A backlog imported from one of these files and pushed afterwards is recognised item by
item: every row carries the roadmap tag and the item's identity tag (``mlops-cap-<id>``,
``mlops-story-<id>``) that the push looks for, so the push adopts the imported items and
creates nothing twice. Links the importer cannot express, iterations and the push record
are added by that first push.

- :func:`jira_csv`: Jira's CSV importer (External system import → CSV);
- :func:`azure_devops_csv`: Boards' "Import work items" (a CSV with ``ID`` empty for new
  items, ``Work Item Type``, the hierarchy as indented ``Title 1`` / ``Title 2`` columns,
  ``Tags``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from planner.backlog import Backlog, epic_labels, story_labels
from planner.plan import Plan

SECONDS_PER_HOUR = 3600
BLOCKED_BY = "Inward issue link (Blocks)"
"""The column Jira's own export uses for "is blocked by": it holds the blockers' Issue IDs."""
FORMATS = ("jira-csv", "azure-devops-csv")


def csv_cell(value: object) -> str:
    """A spreadsheet will not run it as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def _padded(values: Sequence[object], width: int) -> list[object]:
    return [*values, *([""] * (width - len(values)))]


def jira_backlog_csv(backlog: Backlog) -> str:
    """Epics, then their stories, for Jira's CSV importer.

    Every row has an ``Issue ID`` local to the file: epics are numbered first, in backlog
    order, then the stories, so a parent always comes before its children. A story's
    ``Parent`` is its epic's Issue ID. An epic lists its blockers' Issue IDs under
    ``Inward issue link (Blocks)`` (it "is blocked by" them). Labels are exactly the push's.
    Repeated column names (Labels, links) are how the importer takes several values.
    """
    epic_ids = {epic.key: n for n, epic in enumerate(backlog.epics, 1)}
    blockers: dict[str, list[int]] = {}
    for link in backlog.links:
        blockers.setdefault(link.blocked, []).append(epic_ids[link.blocker])
    rows: list[list[object]] = []
    labels_of: list[tuple[str, ...]] = []
    for epic in backlog.epics:
        labels_of.append(epic_labels(backlog.roadmap, epic))
        rows.append(
            [
                epic_ids[epic.key], "", "Epic", epic.summary, epic.description,
                epic.fix_version or "",
                epic.start_date.isoformat() if epic.start_date else "",
                epic.due_date.isoformat() if epic.due_date else "",
                round(epic.estimate_hours * SECONDS_PER_HOUR) if epic.estimate_hours else "",
            ]
        )  # fmt: skip
    link_lists = [blockers.get(epic.key, []) for epic in backlog.epics]
    for epic, story in backlog.stories():
        labels_of.append(story_labels(backlog.roadmap, story))
        rows.append(
            [len(rows) + 1, epic_ids[epic.key], "Story", story.summary, story.description,
             epic.fix_version or "", "", "", ""]
        )  # fmt: skip
        link_lists.append([])
    labels = max((len(x) for x in labels_of), default=1)
    links = max([1, *(len(x) for x in link_lists)])
    header = [
        "Issue ID", "Parent", "Issue Type", "Summary", "Description",
        "Fix Version", "Start Date", "Due Date", "Original Estimate",
        *(["Labels"] * labels), *([BLOCKED_BY] * links),
    ]  # fmt: skip
    return _csv(
        header,
        (
            [*row, *_padded(list(tags), labels), *_padded(list(ids), links)]
            for row, tags, ids in zip(rows, labels_of, link_lists, strict=True)
        ),
    )


def azure_devops_backlog_csv(backlog: Backlog, *, requirement_type: str = "User Story") -> str:
    """Epics, each followed by its stories, for Boards' "Import work items".

    ``ID`` is empty (new work items); the hierarchy is given by indented titles (an epic's
    title under ``Title 1``, its stories' under ``Title 2``). ``requirement_type`` is the
    project's requirement type: User Story (Agile), Product Backlog Item (Scrum), Issue
    (Basic) or Requirement (CMMI). Tags are exactly the push's. Iterations and
    predecessor/successor links cannot be imported: the first push adds them.
    """
    header = ["ID", "Work Item Type", "Title 1", "Title 2", "Description", "Tags",
              "Start Date", "Target Date"]  # fmt: skip
    rows: list[list[object]] = []
    for epic in backlog.epics:
        rows.append(
            ["", "Epic", epic.summary, "", epic.description,
             "; ".join(epic_labels(backlog.roadmap, epic)),
             epic.start_date.isoformat() if epic.start_date else "",
             epic.due_date.isoformat() if epic.due_date else ""]
        )  # fmt: skip
        for story in epic.stories:
            rows.append(
                ["", requirement_type, "", story.summary, story.description,
                 "; ".join(story_labels(backlog.roadmap, story)), "", ""]
            )  # fmt: skip
    return _csv(header, rows)


def import_csv(plan: Plan, fmt: str, *, requirement_type: str = "User Story") -> str:
    """The import file ``fmt`` (one of :data:`FORMATS`) for ``plan``, from the push's backlog."""
    if fmt == "jira-csv":
        from integrations.jira.push import plan_backlog

        return jira_backlog_csv(plan_backlog(plan))
    if fmt == "azure-devops-csv":
        from integrations.azure_devops.backlog import azure_backlog

        backlog, _sprints = azure_backlog(plan)
        return azure_devops_backlog_csv(backlog, requirement_type=requirement_type)
    raise ValueError(f"not an import format: {fmt!r}")
