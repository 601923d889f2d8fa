"""Azure DevOps Boards behind the tracker seam: :class:`AzureTracker` is a
:class:`~integrations.tracker.gateway.TrackerGateway` over :class:`AzureBoardsGateway`.

It only translates; what to write is decided by ``integrations.tracker``. Our names map so:

==================  ==============================================================
``summary``         ``System.Title``
``description``     ``System.Description`` (HTML)
``labels``          ``System.Tags`` (roadmap, identity ``mlops-cap-<id>``, level, area)
``start_date``      ``Microsoft.VSTS.Scheduling.StartDate`` (when the Epic type has it)
``due_date``        ``Microsoft.VSTS.Scheduling.TargetDate`` (likewise)
``estimate_hours``  the Epic type's effort field: Effort, Story Points or Size in
                    person-days (hours / 8), or Original Estimate in hours
``fix_versions``    ``System.IterationPath``: the iteration of the item's first sprint
epic              the parent (``System.LinkTypes.Hierarchy-Reverse``)
versions          iterations under the project's iteration root, added to the team
links             ``System.LinkTypes.Dependency``: the blocker is the predecessor
==================  ==============================================================

**Push record**: one tag per work item, see :mod:`integrations.azure_devops.record`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from integrations.azure_devops._http import LostResponse as HttpLost
from integrations.azure_devops.backlog import Sprint
from integrations.azure_devops.describe import plain_quotes
from integrations.azure_devops.gateway import (
    START_DATE,
    TARGET_DATE,
    AzureBoardsGateway,
    tag_text,
)
from integrations.azure_devops.iterations import SprintIterations
from integrations.azure_devops.models import (
    DEPENDENCY_FORWARD,
    DEPENDENCY_REVERSE,
    HIERARCHY_REVERSE,
    RemoteWorkItem,
)
from integrations.azure_devops.record import is_record_tag, read_record, record_tag
from integrations.tracker.changes import version_marker
from integrations.tracker.model import (
    OWNED_FIELDS,
    CreatedItem,
    CreateOutcome,
    FieldValue,
    ItemKind,
    LostResponse,
    NewItem,
    PushRecord,
    RemoteItem,
    RemoteLink,
    RemoteVersion,
    Site,
)
from planner.backlog import Resolution, StatusCategory, label_safe
from planner.errors import TrackerError

HOURS_PER_DAY = 8
STORY_FIELDS = frozenset({"summary", "description", "labels", "fix_versions"})
"""A story's iteration is its epic's sprint: owned like any field, so it follows the epic
when a re-plan moves it, and a story moved by hand is kept and reported."""
LEGACY_STORY_RECORD = ("summary", "description")
"""What a story's record covered before stories followed their epic's iteration."""
_STATUS: dict[str, tuple[StatusCategory, Resolution | None]] = {
    "Proposed": ("to-do", None),
    "InProgress": ("in-progress", None),
    "Resolved": ("in-progress", None),
    "Completed": ("done", "achieved"),
    "Removed": ("done", "dropped"),
}


def _wiql_text(value: str) -> str:
    return value.replace("'", "''")


def _datetime_text(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


class AzureTracker:
    """One project's Boards as the tracker seam sees it."""

    bulk_limit = 1
    """Boards' 7.1 API has no bulk create: one work item per call."""

    def __init__(
        self,
        boards: AzureBoardsGateway,
        sprints: Sequence[Sprint] = (),
        *,
        wait: Callable[[float], None] = time.sleep,
    ) -> None:
        self.boards = boards
        self.links_reversed = False
        self._iterations = SprintIterations(boards, sprints)
        self._wait = wait
        self._roadmap = ""
        self._items: dict[str, RemoteWorkItem] = {}
        project = boards.project
        epic = project.epic
        writable = {"summary", "description", "labels", "fix_versions"}
        refused: dict[str, str] = {}
        for name, field, label in (
            ("start_date", START_DATE, "Start Date"),
            ("due_date", TARGET_DATE, "Target Date"),
        ):
            if field in epic.fields:
                writable.add(name)
            else:
                refused[name] = f"the {epic.name} type has no {label} field"
        if epic.effort_field:
            writable.add("estimate_hours")
        else:
            refused["estimate_hours"] = (
                f"the {epic.name} type has none of Effort, Story Points, Size, Original Estimate"
            )
        self._writable = frozenset(writable)
        self._refused = refused

    # --- what the seam reads ----------------------------------------------------------------

    @property
    def site(self) -> Site:
        project = self.boards.project
        return Site(
            f"Azure DevOps ({project.process or 'custom'} process)",
            self.boards.settings.base_url,
            project.name,
        )

    @property
    def writable_fields(self) -> frozenset[str]:
        """Every field the epics take (stories take fewer: see :meth:`writable`)."""
        return self._writable

    def writable(self, kind: ItemKind, edit: bool = False) -> frozenset[str]:
        """Epics take every field their type has; stories their title, description, tags
        and iteration. Boards has no screens: what a create takes, an update takes."""
        return self._writable if kind == "epic" else STORY_FIELDS

    @property
    def refused_fields(self) -> Mapping[str, str]:
        return self._refused

    @property
    def predecessor_shown(self) -> str:
        """Which relation end the organization names Predecessor."""
        names = self.boards.project.relation_names
        return next(
            (ref for ref, name in names.items() if name.lower() == "predecessor"),
            DEPENDENCY_REVERSE,
        )

    def browse_url(self, key: str) -> str:
        return self.boards.browse_url(int(key))

    def wait(self, seconds: float) -> None:
        self._wait(seconds)

    def recorded_keys(self, roadmap: str) -> Mapping[str, str]:
        return {}  # WIQL reads the work item store itself: it never lags behind a write

    def record_keys(self, roadmap: str, keys: Mapping[str, str]) -> None:
        return None

    def find(
        self, roadmap: str, identities: Sequence[str] = (), known: Sequence[str] = ()
    ) -> list[RemoteItem]:
        """One WIQL query (roadmap tag, and one of ``identities`` if given), then the work
        items in batches of 200."""
        self._roadmap = label_safe(roadmap)
        where = (
            "[System.TeamProject] = @project AND "
            f"[System.Tags] CONTAINS '{_wiql_text(self._roadmap)}'"
        )
        if identities:
            some = " OR ".join(f"[System.Tags] CONTAINS '{_wiql_text(i)}'" for i in identities)
            where += f" AND ({some})"
        ids = self.boards.query_ids(
            f"SELECT [System.Id] FROM WorkItems WHERE {where} ORDER BY [System.Id]"
        )
        ids += [int(k) for k in known if k.isdigit() and int(k) not in ids]
        items = self.boards.read_items(ids)
        self._iterations.read()
        return [self._remote(item) for item in items]

    def read_item(self, key: str) -> RemoteItem:
        found = self.boards.read_items([int(key)])
        if not found:
            raise TrackerError(f"work item {key} does not exist (any more)")
        return self._remote(found[0])

    # --- conversion -------------------------------------------------------------------------

    def _kind(self, item: RemoteWorkItem) -> ItemKind:
        return "epic" if item.type.lower() == self.boards.project.epic.name.lower() else "story"

    def _hours(self, item: RemoteWorkItem) -> float | None:
        if item.effort is None:
            return None
        field = self.boards.project.epic.effort_field or ""
        per = 1.0 if field.endswith("OriginalEstimate") else HOURS_PER_DAY
        return item.effort * per

    def _links(self, item: RemoteWorkItem) -> tuple[RemoteLink, ...]:
        predecessor = self.predecessor_shown
        links = []
        for relation in item.relations:
            if relation.rel not in (DEPENDENCY_FORWARD, DEPENDENCY_REVERSE):
                continue
            link_id = f"{item.id}|{relation.rel}|{relation.target}"
            if relation.rel == predecessor:  # the target is shown as this one's predecessor
                links.append(RemoteLink(str(relation.target), str(item.id), link_id))
            else:
                links.append(RemoteLink(str(item.id), str(relation.target), link_id))
        return tuple(links)

    def _view(self, item: RemoteWorkItem) -> RemoteItem:
        """Our view of a work item, without its push record."""
        tags = [t.lower() for t in item.tags]
        status, resolution = _STATUS[item.state_category]
        return RemoteItem(
            key=str(item.id),
            id=str(item.id),
            issue_type=item.type,
            summary=item.title,
            labels=tuple(t for t in tags if not is_record_tag(t)),
            status_category=status,
            resolution_date=item.closed_date if status == "done" else None,
            resolution=resolution,
            description=plain_quotes(item.description),
            due_date=item.target_date,
            start_date=item.start_date,
            estimate_hours=self._hours(item),
            fix_versions=self._iterations.sprint_of(item.iteration),
            epic_key=str(item.parent) if item.parent is not None else None,
            links=self._links(item),
        )

    def _remote(self, item: RemoteWorkItem) -> RemoteItem:
        """Our view of a work item with its push record (see :mod:`.record`)."""
        self._items[str(item.id)] = item
        remote = self._view(item)
        stored = next((t.lower() for t in item.tags if is_record_tag(t)), None)
        kind = self._kind(item)
        names = self._owned(kind)
        legacy = LEGACY_STORY_RECORD if kind == "story" else None
        found = read_record(
            self.boards, item, remote, stored, names, self._roadmap, self._view, legacy
        )
        return dataclasses.replace(remote, record=found)

    def _owned(self, kind: ItemKind) -> list[str]:
        names = ("summary", "description", "fix_versions") if kind == "story" else OWNED_FIELDS
        return [n for n in names if n in self.writable(kind) or n == "summary"]

    # --- iterations (the seam's versions) -----------------------------------------------------

    def list_versions(self) -> list[RemoteVersion]:
        """The plan's sprints that exist as iterations (same name and dates)."""
        self._iterations.read(again=True)
        self._iterations.stale()  # the next call reads again (after a lost answer, say)
        owned = self._owned_description()
        return [
            RemoteVersion(node.identifier, name, node.finish, owned)
            for name, node in sorted(self._iterations.matched.items())
        ]

    def _owned_description(self) -> str:
        """An iteration has no description: one matched by the sprint's name and dates is
        this roadmap's, so it reads back with the mark the core gives the roadmap's
        versions."""
        return version_marker(self._roadmap)

    def create_version(
        self, name: str, release_date: date | None, description: str
    ) -> RemoteVersion:
        try:
            node = self._iterations.create(name, release_date, self._roadmap)
        except HttpLost as exc:
            raise LostResponse(str(exc)) from None
        return RemoteVersion(node.identifier, name, node.finish, "")

    def update_version(self, version_id: str, release_date: date | None, description: str) -> None:
        # Never asked for: list_versions only returns iterations whose dates already match,
        # so a sprint with other dates gets an iteration of its own (see create_version).
        raise TrackerError("iterations are matched by name and dates; none is ever rewritten")

    def _iteration_path(self, value: FieldValue) -> str:
        names = value if isinstance(value, tuple) else ()
        if not names:
            return self.boards.project.name
        return self._iterations.path_for(str(names[0]))

    # --- writes ------------------------------------------------------------------------------

    def _field_ops(self, changes: Mapping[str, FieldValue], creating: bool) -> list[dict[str, Any]]:
        project = self.boards.project
        ops: list[dict[str, Any]] = []

        def put(field: str, value: Any) -> None:
            if value is None:
                if not creating:
                    ops.append({"op": "remove", "path": f"/fields/{field}"})
                return
            ops.append({"op": "add", "path": f"/fields/{field}", "value": value})

        for name, value in changes.items():
            if name == "summary":
                put("System.Title", str(value or ""))
            elif name == "description":
                put("System.Description", str(value or "") or None)
            elif name in ("start_date", "due_date") and name in self._writable:
                field = START_DATE if name == "start_date" else TARGET_DATE
                put(field, _datetime_text(value) if isinstance(value, date) else None)
            elif name == "estimate_hours" and project.epic.effort_field:
                field = project.epic.effort_field
                per = 1.0 if field.endswith("OriginalEstimate") else HOURS_PER_DAY
                put(field, float(value) / per if isinstance(value, int | float) else None)
            elif name == "fix_versions":
                put("System.IterationPath", self._iteration_path(value))
        return ops

    def _tags_op(
        self, labels: Sequence[str], record: PushRecord | None, has_tags: bool
    ) -> dict[str, Any]:
        tags = [t for t in labels if not is_record_tag(t)]
        if record is not None:
            tags.append(record_tag(record.fields))
        # "replace" always replaces; what "add" does to tags is reported both ways.
        return {
            "op": "replace" if has_tags else "add",
            "path": "/fields/System.Tags",
            "value": tag_text(tags),
        }

    def create_items(self, items: Sequence[NewItem]) -> CreateOutcome:
        created: dict[int, CreatedItem] = {}
        for position, new in enumerate(items):
            fields = dict(new.fields)
            labels = fields.pop("labels", ())
            ops = self._field_ops(fields, creating=True)
            ops.append(
                self._tags_op(labels if isinstance(labels, tuple) else (), new.record, False)
            )
            if new.epic_key is not None:
                epic = self._items.get(new.epic_key)
                if epic is not None and "fix_versions" not in fields and epic.iteration:
                    ops.append(
                        {
                            "op": "add",
                            "path": "/fields/System.IterationPath",
                            "value": epic.iteration,
                        }
                    )
                ops.append(self._relation(HIERARCHY_REVERSE, new.epic_key))
            try:
                item = self.boards.create_item(new.kind, ops)
            except HttpLost as exc:
                raise LostResponse(str(exc)) from None
            self._items[str(item.id)] = item
            created[position] = CreatedItem(str(item.id), str(item.id))
        return CreateOutcome(created)

    def _relation(self, rel: str, target_key: str) -> dict[str, Any]:
        url = self.boards.item_url(int(target_key))
        return {"op": "add", "path": "/relations/-", "value": {"rel": rel, "url": url}}

    def _current(self, key: str) -> RemoteWorkItem:
        item = self._items.get(key)
        if item is None:
            [item] = self.boards.read_items([int(key)])
            self._items[key] = item
        return item

    def _patch(self, key: str, ops: list[dict[str, Any]], *, idempotent: bool) -> RemoteWorkItem:
        try:
            item = self.boards.update_item(int(key), ops, idempotent=idempotent)
        except HttpLost as exc:
            raise LostResponse(str(exc)) from None
        self._items[key] = item
        return item

    def update_item(
        self, key: str, changes: Mapping[str, FieldValue], record: PushRecord | None
    ) -> None:
        item = self._current(key)
        values = dict(changes)
        epic = values.pop("epic", None)
        labels = values.pop("labels", None)
        ops = self._field_ops(values, creating=False)
        visible = tuple(t.lower() for t in item.tags if not is_record_tag(t))
        old_record = next((t.lower() for t in item.tags if is_record_tag(t)), None)
        new_record = record_tag(record.fields) if record is not None else old_record
        if isinstance(labels, tuple) or new_record != old_record:
            wanted = labels if isinstance(labels, tuple) else visible
            ops.append(self._tags_op(wanted, record, bool(item.tags)))
        relation_ops: list[dict[str, Any]] = []
        if isinstance(epic, str) and str(item.parent) != epic:
            index = next(
                (n for n, r in enumerate(item.relations) if r.rel == HIERARCHY_REVERSE), None
            )
            if index is not None:
                relation_ops.append({"op": "remove", "path": f"/relations/{index}"})
            relation_ops.append(self._relation(HIERARCHY_REVERSE, epic))
        if not ops and not relation_ops:
            return
        try:
            self._patch(key, ops + relation_ops, idempotent=not relation_ops)
        except LostResponse:
            [now] = self.boards.read_items([int(key)])  # look before doing it again
            self._items[key] = now
            if relation_ops and now.parent is not None and str(now.parent) == epic:
                return
            self.update_item(key, changes, record)

    def retag(self, key: str, add: Sequence[str], remove: Sequence[str] = ()) -> None:
        item = self._current(key)
        have = [t.lower() for t in item.tags]
        drop = {t.lower() for t in remove}
        tags = [t for t in dict.fromkeys([*have, *(t.lower() for t in add)]) if t not in drop]
        if tags == have:
            return
        op = {
            "op": "replace" if have else "add",
            "path": "/fields/System.Tags",
            "value": tag_text(tags),
        }
        self._patch(key, [op], idempotent=True)

    def add_comment(self, key: str, text: str) -> None:
        from html import escape

        op = {"op": "add", "path": "/fields/System.History", "value": f"<p>{escape(text)}</p>"}
        self._patch(key, [op], idempotent=False)

    def link(self, blocker_key: str, blocked_key: str) -> None:
        """On the blocked item, the blocker as its predecessor (documented: the
        ``Dependency-Reverse`` end); ``links_reversed`` sends the other end."""
        rel = DEPENDENCY_FORWARD if self.links_reversed else DEPENDENCY_REVERSE
        try:
            self._patch(blocked_key, [self._relation(rel, blocker_key)], idempotent=False)
        except LostResponse:
            [now] = self.boards.read_items([int(blocked_key)])  # look before doing it again
            self._items[blocked_key] = now
            if not any(r.rel == rel and str(r.target) == blocker_key for r in now.relations):
                self._patch(blocked_key, [self._relation(rel, blocker_key)], idempotent=False)

    def unlink(self, link: RemoteLink) -> None:
        holder, rel, target = link.id.split("|")
        [item] = self.boards.read_items([int(holder)])
        index = next(
            (n for n, r in enumerate(item.relations) if r.rel == rel and str(r.target) == target),
            None,
        )
        if index is None:
            return  # already gone
        try:
            self._patch(holder, [{"op": "remove", "path": f"/relations/{index}"}], idempotent=False)
        except LostResponse:
            self.unlink(link)
