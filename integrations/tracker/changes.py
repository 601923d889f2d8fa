"""What a push would change: backlog against remote state. Pure, no I/O.

With an empty :class:`RemoteState` (no connection at all) everything would be created,
which is what ``push --dry-run`` without credentials shows.

Items are matched by :func:`~integrations.tracker.identity.resolve`. Fields follow the
ownership rule of :mod:`integrations.tracker.ownership`: a field a person changed is kept
and listed as a conflict unless ``force``. Nothing is ever deleted: an item that left the
plan is tagged obsolete. Links among the roadmap's epics that the plan no longer has are
removed; links to anything outside the roadmap are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from integrations.tracker.identity import is_obsolete, key_order, resolve
from integrations.tracker.model import (
    OWNED_FIELDS,
    FieldValue,
    ItemKind,
    PushRecord,
    RemoteItem,
    RemoteLink,
    RemoteState,
    RemoteVersion,
)
from integrations.tracker.ownership import (
    edited_by_people,
    fingerprint,
    plan_changed,
    same_value,
)
from planner.backlog import (
    EPIC_LABEL_PREFIX,
    OBSOLETE_LABEL,
    Backlog,
    EpicItem,
    StoryItem,
    epic_label,
    epic_labels,
    label_safe,
    story_label,
    story_labels,
)

EPIC_FIELD = "epic"
"""Change key for a story's epic; its value is the epic's item key."""


@dataclass(frozen=True)
class ItemCreate:
    item_key: str
    kind: ItemKind
    label: str
    """The identity tag, by which a lost create is found again."""
    fields: Mapping[str, FieldValue]
    title: str
    epic_item: str | None = None
    record: PushRecord | None = None


@dataclass(frozen=True)
class ItemUpdate:
    item_key: str
    kind: ItemKind
    issue_key: str
    title: str
    changes: Mapping[str, FieldValue]
    record: PushRecord | None = None
    restored: bool = False
    """The identity tag had been removed by hand; this update puts it back."""


@dataclass(frozen=True)
class Conflict:
    """A field a person changed in the tracker since the last push: kept, unless forced."""

    item_key: str
    kind: ItemKind
    issue_key: str
    title: str
    field: str
    planned: FieldValue
    theirs: FieldValue


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
class LinkRemove:
    blocker: str
    blocked: str
    """Epic item keys."""
    link: RemoteLink


@dataclass(frozen=True)
class Obsolete:
    issue_key: str
    summary: str
    item_label: str | None


@dataclass(frozen=True)
class ChangeSet:
    create_versions: tuple[VersionCreate, ...] = ()
    update_versions: tuple[VersionUpdate, ...] = ()
    create_epics: tuple[ItemCreate, ...] = ()
    create_stories: tuple[ItemCreate, ...] = ()
    updates: tuple[ItemUpdate, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    links: tuple[LinkCreate, ...] = ()
    unlinks: tuple[LinkRemove, ...] = ()
    obsolete: tuple[Obsolete, ...] = ()
    unchanged: tuple[str, ...] = ()
    """Item keys already in the tracker as planned."""
    existing: Mapping[str, str] = field(default_factory=dict)
    """Item key -> tracker key, for every item already in the tracker."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """Item key -> its title (summary), for messages."""
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.write_count == 0

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
            + len(self.unlinks)
            + len(self.obsolete)
        )


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
    fields: dict[str, FieldValue] = {
        "summary": story.summary,
        "description": story.description,
        "labels": story_labels(backlog.roadmap, story),
    }
    if story.fix_version:  # only for trackers that place stories in a version (Boards)
        fields["fix_versions"] = (story.fix_version,)
    return fields


def _labels(wanted: Mapping[str, FieldValue]) -> tuple[str, ...]:
    labels = wanted.get("labels")
    return labels if isinstance(labels, tuple) else ()


def remote_value(name: str, remote: RemoteItem) -> FieldValue:
    value: FieldValue = {
        "summary": remote.summary,
        "description": remote.description,
        "labels": remote.labels,
        "due_date": remote.due_date,
        "start_date": remote.start_date,
        "estimate_hours": remote.estimate_hours,
        "fix_versions": remote.fix_versions,
    }[name]
    return value


def push_record(
    roadmap: str, label: str, wanted: Mapping[str, FieldValue], writable: frozenset[str]
) -> PushRecord:
    """The record of an item written with all of ``wanted`` (the fields the site takes)."""
    prints = {
        name: fingerprint(name, value)
        for name, value in wanted.items()
        if name in OWNED_FIELDS and (name in writable or name == "summary")
    }
    return PushRecord(identity=label, roadmap=label_safe(roadmap), fields=prints)


@dataclass
class _Fields:
    changes: dict[str, FieldValue]
    conflicts: list[tuple[str, FieldValue, FieldValue]]
    record: dict[str, str]


def _owned_fields(
    wanted: Mapping[str, FieldValue],
    remote: RemoteItem,
    writable: frozenset[str],
    force: bool,
) -> _Fields:
    """The ownership rule, field by field (see :mod:`integrations.tracker.ownership`)."""
    recorded = dict(remote.record.fields) if remote.record is not None else {}
    out = _Fields({}, [], dict(recorded))
    for name, planned in wanted.items():
        if name not in OWNED_FIELDS or (name not in writable and name != "summary"):
            continue
        theirs = remote_value(name, remote)
        last = recorded.get(name)
        if last is None:
            if not same_value(name, planned, theirs):
                out.changes[name] = planned
            out.record[name] = fingerprint(name, planned)
            continue
        edited = edited_by_people(name, theirs, last)
        if not edited and not plan_changed(name, planned, last):
            continue  # as last pushed, and the plan still wants it
        if not edited or force:
            out.changes[name] = planned
            out.record[name] = fingerprint(name, planned)
        elif same_value(name, planned, theirs):
            continue  # a person made the very change the plan makes
        else:
            out.conflicts.append((name, planned, theirs))
    labels = wanted.get("labels")
    if isinstance(labels, tuple):
        have = set(remote.labels)
        if not set(labels) <= have or OBSOLETE_LABEL in have:
            out.changes["labels"] = tuple(sorted((have | set(labels)) - {OBSOLETE_LABEL}))
    return out


def version_marker(roadmap: str) -> str:
    """What a version's description ends with when it belongs to ``roadmap``."""
    return f"[roadmap {label_safe(roadmap)}]"


def _owner(version: RemoteVersion) -> str | None:
    match = re.search(r"\[roadmap ([a-z0-9_.-]+)\]\s*$", version.description)
    return match[1] if match else None


def _versions(
    backlog: Backlog, remote: tuple[RemoteVersion, ...]
) -> tuple[list[VersionCreate], list[VersionUpdate], dict[str, str]]:
    """Versions belong to one roadmap: their description ends with ``[roadmap <label>]``.
    A plan's version takes the milestone's name, or ``<name> (<roadmap>)`` when another
    roadmap owns that name already. A version without any mark (made before versions had
    owners) is taken over by the first roadmap that pushes one of that name. A tracker whose
    versions keep no description reads its own back with the mark alone."""
    roadmap = label_safe(backlog.roadmap)
    by_name = {v.name: v for v in remote}
    creates: list[VersionCreate] = []
    updates: list[VersionUpdate] = []
    names: dict[str, str] = {}
    for version in backlog.versions:
        description = f"{version.description} {version_marker(roadmap)}".strip()
        own = f"{version.name} ({roadmap})"
        have = by_name.get(version.name)
        if have is not None and _owner(have) not in (None, roadmap):
            have, name = by_name.get(own), own
        else:
            name = version.name
        names[version.name] = name
        if have is None:
            creates.append(VersionCreate(name, version.release_date, description))
        elif have.release_date != version.release_date or have.description.strip() != (description):
            updates.append(VersionUpdate(have.id, name, version.release_date, description))
    return creates, updates, names


Editable = Callable[[ItemKind], frozenset[str]]
"""Our fields the site takes when updating an item of a kind (read lazily)."""


def plan_changes(
    backlog: Backlog,
    remote: RemoteState,
    *,
    force: bool = False,
    editable: Editable | None = None,
) -> ChangeSet:
    """The change set that makes the tracker match ``backlog``; nothing is ever deleted.

    Items done in the tracker are never written to: finished work keeps the fields it was
    finished with (its links are still added when missing), and it is never tagged obsolete.
    ``force`` overwrites fields people changed instead of reporting them as conflicts.
    ``editable`` says which fields an update may write (default: those a create may); the
    others are left as they are, and stay as recorded so they are tried again.
    """
    roadmap = label_safe(backlog.roadmap)
    resolved = resolve(remote.items, roadmap)
    existing: dict[str, str] = {}
    titles: dict[str, str] = {}
    creates_e: list[ItemCreate] = []
    creates_s: list[ItemCreate] = []
    updates: list[ItemUpdate] = []
    conflicts: list[Conflict] = []
    unchanged: list[str] = []
    planned: set[str] = set()

    def place(
        key: str,
        kind: ItemKind,
        label: str,
        wanted: dict[str, FieldValue],
        epic: str | None,
        former: str | None = None,
    ) -> None:
        planned.add(label)
        title = str(wanted.get("summary") or key)
        titles[key] = title
        identity = resolved.by_label.get(label)
        relabel = None
        if identity is None and former is not None and former not in planned:
            # Pushed before stories had ids, under its position: take it over.
            identity = resolved.by_label.get(former)
            if identity is not None and identity.item.summary.strip() == title.strip():
                planned.add(former)
                relabel = former
            else:
                identity = None
        writable = remote.writable.get(kind, frozenset())
        if identity is None:
            target = creates_e if kind == "epic" else creates_s
            record = push_record(roadmap, label, wanted, writable)
            target.append(ItemCreate(key, kind, label, wanted, title, epic, record))
            return
        issue = identity.item
        existing[key] = issue.key
        if issue.status_category == "done":  # finished work is history: never rewritten
            unchanged.append(key)
            return
        owned = _owned_fields(wanted, issue, writable, force)
        changes = owned.changes
        if relabel is not None:
            have = set(issue.labels) - {relabel, OBSOLETE_LABEL}
            changes["labels"] = tuple(sorted(have | set(_labels(wanted))))
        if editable is not None and any(n not in ("labels", EPIC_FIELD) for n in changes):
            can = editable(kind) | {"labels", EPIC_FIELD}
            for name in [n for n in changes if n not in can]:
                del changes[name]
                last = issue.record.fields.get(name) if issue.record else None
                if last is None:
                    owned.record.pop(name, None)
                else:
                    owned.record[name] = last
        conflicts.extend(
            Conflict(key, kind, issue.key, title, name, ours, theirs)
            for name, ours, theirs in owned.conflicts
        )
        if epic is not None:
            epic_issue = resolved.get(epic_label(epic))
            if epic_issue is None or issue.epic_key != epic_issue.key:
                changes[EPIC_FIELD] = epic
        old = issue.record
        record = PushRecord(label, roadmap, owned.record)
        if changes or old is None or old != record:
            updates.append(
                ItemUpdate(key, kind, issue.key, title, changes, record, identity.restored)
            )
        else:
            unchanged.append(key)

    create_versions, update_versions, version_names = _versions(backlog, remote.versions)
    for epic in backlog.epics:
        wanted = epic_fields(backlog, epic)
        if epic.fix_version:
            wanted["fix_versions"] = (version_names.get(epic.fix_version, epic.fix_version),)
        place(epic.key, "epic", epic_label(epic.key), wanted, None)
    for epic, story in backlog.stories():
        former = story_label(story.former_key) if story.former_key else None
        fields = story_fields(backlog, story)
        if story.fix_version:
            fields["fix_versions"] = (version_names.get(story.fix_version, story.fix_version),)
        place(story.key, "story", story_label(story.key), fields, epic.key, former)

    obsolete = tuple(
        Obsolete(identity.item.key, identity.item.summary, label)
        for label, identity in sorted(
            resolved.by_label.items(), key=lambda pair: key_order(pair[1].item.key)
        )
        if label not in planned
        and not is_obsolete(identity.item)
        and identity.item.status_category != "done"
    )

    epics_by_key = {
        identity.item.key: label
        for label, identity in resolved.by_label.items()
        if label.startswith(EPIC_LABEL_PREFIX)
    }
    item_of_label = {epic_label(e.key): e.key for e in backlog.epics}
    wanted_pairs = {
        (existing[lk.blocker], existing[lk.blocked])
        for lk in backlog.links
        if lk.blocker in existing and lk.blocked in existing
    }
    have: dict[tuple[str, str], RemoteLink] = {}
    for identity in resolved.by_label.values():
        for remote_link in identity.item.links:
            have.setdefault((remote_link.blocker, remote_link.blocked), remote_link)
    links: list[LinkCreate] = []
    for planned_link in dict.fromkeys(backlog.links):
        blocker = existing.get(planned_link.blocker)
        blocked = existing.get(planned_link.blocked)
        if blocker is None or blocked is None or (blocker, blocked) not in have:
            links.append(LinkCreate(planned_link.blocker, planned_link.blocked))
    unlinks = [
        LinkRemove(
            item_of_label.get(epics_by_key[a], epics_by_key[a]),
            item_of_label.get(epics_by_key[b], epics_by_key[b]),
            link,
        )
        for (a, b), link in sorted(have.items())
        if a in epics_by_key and b in epics_by_key and (a, b) not in wanted_pairs
    ]

    return ChangeSet(
        create_versions=tuple(create_versions),
        update_versions=tuple(update_versions),
        create_epics=tuple(creates_e),
        create_stories=tuple(creates_s),
        updates=tuple(updates),
        conflicts=tuple(conflicts),
        links=tuple(links),
        unlinks=tuple(unlinks),
        obsolete=obsolete,
        unchanged=tuple(unchanged),
        existing=existing,
        titles=titles,
        warnings=resolved.warnings,
    )
