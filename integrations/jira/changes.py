"""What a push would change: backlog against remote state. Pure, no I/O.

With an empty :class:`RemoteState` (no connection at all) everything would be created,
which is what ``push --dry-run`` without credentials shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from integrations.jira.models import FieldValue, IssueKind, RemoteIssue, RemoteState
from planner.backlog import (
    OBSOLETE_LABEL,
    Backlog,
    EpicItem,
    StoryItem,
    epic_label,
    epic_labels,
    identity_label,
    label_safe,
    story_label,
    story_labels,
)

EPIC_FIELD = "epic"
"""Change key for a story's epic; its value is the epic's item key."""


@dataclass(frozen=True)
class IssueCreate:
    item_key: str
    kind: IssueKind
    label: str
    """The identity label, by which a lost create is found again."""
    fields: Mapping[str, FieldValue]
    epic_item: str | None = None


@dataclass(frozen=True)
class IssueUpdate:
    item_key: str
    kind: IssueKind
    issue_key: str
    changes: Mapping[str, FieldValue]


@dataclass(frozen=True)
class VersionCreate:
    name: str
    release_date: date | None
    description: str


@dataclass(frozen=True)
class VersionUpdate:
    version_id: str
    name: str
    release_date: date | None
    description: str


@dataclass(frozen=True)
class LinkCreate:
    blocker: str
    blocked: str
    """Epic item keys."""


@dataclass(frozen=True)
class Obsolete:
    issue_key: str
    summary: str
    item_label: str | None


@dataclass(frozen=True)
class ChangeSet:
    create_versions: tuple[VersionCreate, ...] = ()
    update_versions: tuple[VersionUpdate, ...] = ()
    create_epics: tuple[IssueCreate, ...] = ()
    create_stories: tuple[IssueCreate, ...] = ()
    updates: tuple[IssueUpdate, ...] = ()
    links: tuple[LinkCreate, ...] = ()
    obsolete: tuple[Obsolete, ...] = ()
    unchanged: tuple[str, ...] = ()
    """Item keys already in Jira as planned."""
    existing: Mapping[str, str] = field(default_factory=dict)
    """Item key -> Jira issue key, for every item already in Jira."""
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.create_versions
            or self.update_versions
            or self.create_epics
            or self.create_stories
            or self.updates
            or self.links
            or self.obsolete
        )

    @property
    def write_count(self) -> int:
        """Items to write (not HTTP calls: creates go in bulk)."""
        return (
            len(self.create_versions)
            + len(self.update_versions)
            + len(self.create_epics)
            + len(self.create_stories)
            + len(self.updates)
            + len(self.links)
            + len(self.obsolete)
        )


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _minutes(hours: float | None) -> int | None:
    return None if hours is None else round(hours * 60)


def epic_fields(backlog: Backlog, epic: EpicItem) -> dict[str, FieldValue]:
    return {
        "summary": epic.summary,
        "description": epic.description,
        "labels": epic_labels(backlog.roadmap, epic),
        "due_date": epic.due_date,
        "start_date": epic.start_date,
        "estimate_hours": epic.estimate_hours,
        "fix_versions": (epic.fix_version,) if epic.fix_version else (),
    }


def story_fields(backlog: Backlog, story: StoryItem) -> dict[str, FieldValue]:
    return {
        "summary": story.summary,
        "description": story.description,
        "labels": story_labels(backlog.roadmap, story),
    }


def _same(name: str, value: FieldValue, remote: RemoteIssue) -> bool:
    if name == "summary":
        return _text(str(value)) == _text(remote.summary)
    if name == "description":
        return _text(str(value or "")) == _text(remote.description)
    if name == "due_date":
        return value == remote.due_date
    if name == "start_date":
        return value == remote.start_date
    if name == "estimate_hours":
        hours = float(value) if isinstance(value, float | int) else None
        return _minutes(hours) == _minutes(remote.estimate_hours)
    if name == "fix_versions":
        return set(value if isinstance(value, tuple) else ()) == set(remote.fix_versions)
    raise ValueError(f"unknown field {name!r}")


def _differences(
    wanted: Mapping[str, FieldValue], remote: RemoteIssue, writable: frozenset[str]
) -> dict[str, FieldValue]:
    """Only the fields whose value in Jira differs from the plan."""
    changes: dict[str, FieldValue] = {}
    for name, value in wanted.items():
        if name not in writable and name not in ("summary", "labels"):
            continue
        if name == "labels":
            labels = value if isinstance(value, tuple) else ()
            have = set(remote.labels)
            if not set(labels) <= have or OBSOLETE_LABEL in have:
                changes[name] = tuple(sorted((have | set(labels)) - {OBSOLETE_LABEL}))
            continue
        if not _same(name, value, remote):
            changes[name] = value
    return changes


def plan_changes(backlog: Backlog, remote: RemoteState) -> ChangeSet:
    """The change set that makes Jira match ``backlog``; nothing is ever deleted.

    Issues done in Jira are never written to: finished work keeps the fields it was finished
    with (its links are still added when missing), and it is never labelled obsolete.
    """
    roadmap = label_safe(backlog.roadmap)
    by_label: dict[str, RemoteIssue] = {}
    warnings: list[str] = []
    for issue in sorted(remote.issues, key=lambda i: (len(i.key), i.key)):
        label = identity_label(issue.labels)
        if label is None:
            continue
        if label in by_label:
            warnings.append(
                f"{issue.key} and {by_label[label].key} both carry {label}; "
                f"using {by_label[label].key}"
            )
            continue
        by_label[label] = issue

    existing: dict[str, str] = {}
    creates_e: list[IssueCreate] = []
    creates_s: list[IssueCreate] = []
    updates: list[IssueUpdate] = []
    unchanged: list[str] = []
    planned: set[str] = set()

    def place(
        key: str, kind: IssueKind, label: str, wanted: dict[str, FieldValue], epic: str | None
    ) -> None:
        planned.add(label)
        issue = by_label.get(label)
        if issue is None:
            target = creates_e if kind == "epic" else creates_s
            target.append(IssueCreate(key, kind, label, wanted, epic))
            return
        existing[key] = issue.key
        if issue.status_category == "done":  # finished work is history: never rewritten
            unchanged.append(key)
            return
        changes = _differences(wanted, issue, remote.writable_fields)
        if epic is not None:
            epic_issue = by_label.get(epic_label(epic))
            if epic_issue is None or issue.epic_key != epic_issue.key:
                changes[EPIC_FIELD] = epic
        if changes:
            updates.append(IssueUpdate(key, kind, issue.key, changes))
        else:
            unchanged.append(key)

    for epic in backlog.epics:
        place(epic.key, "epic", epic_label(epic.key), epic_fields(backlog, epic), None)
    for epic, story in backlog.stories():
        place(story.key, "story", story_label(story.key), story_fields(backlog, story), epic.key)

    obsolete = tuple(
        Obsolete(issue.key, issue.summary, identity_label(issue.labels))
        for issue in sorted(remote.issues, key=lambda i: (len(i.key), i.key))
        if roadmap in issue.labels
        and OBSOLETE_LABEL not in issue.labels
        and issue.status_category != "done"
        and identity_label(issue.labels) not in planned
    )

    have_links = {(link.blocker, link.blocked) for issue in remote.issues for link in issue.links}
    links: list[LinkCreate] = []
    for link in dict.fromkeys(backlog.links):
        blocker, blocked = existing.get(link.blocker), existing.get(link.blocked)
        if blocker is None or blocked is None or (blocker, blocked) not in have_links:
            links.append(LinkCreate(link.blocker, link.blocked))

    remote_versions = {v.name: v for v in remote.versions}
    create_versions: list[VersionCreate] = []
    update_versions: list[VersionUpdate] = []
    for version in backlog.versions:
        have = remote_versions.get(version.name)
        if have is None:
            create_versions.append(
                VersionCreate(version.name, version.release_date, version.description)
            )
        elif have.release_date != version.release_date or _text(have.description) != _text(
            version.description
        ):
            update_versions.append(
                VersionUpdate(have.id, version.name, version.release_date, version.description)
            )

    return ChangeSet(
        create_versions=tuple(create_versions),
        update_versions=tuple(update_versions),
        create_epics=tuple(creates_e),
        create_stories=tuple(creates_s),
        updates=tuple(updates),
        links=tuple(links),
        obsolete=obsolete,
        unchanged=tuple(unchanged),
        existing=existing,
        warnings=tuple(warnings),
    )
