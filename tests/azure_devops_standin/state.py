"""What the stand-in organization holds: one project, its process, work items, iterations.

Switches, for behaviour that is uncertain or differs between organizations (the code under
test must be right under every one of them):

- ``process``: the project's process (Agile, Scrum, Basic or CMMI), which decides the
  requirement type (User Story, Product Backlog Item, Issue, Requirement), the effort field
  and the states.
- ``predecessor_end``: which end of ``System.LinkTypes.Dependency`` the organization shows
  as "Predecessor". ``"reverse"`` is what Microsoft documents (``Dependency-Reverse`` is named
  Predecessor, ``-Forward`` Successor); ``"forward"`` names them the other way round, as an
  organization can show it. A relation ``R`` from work item A to B means "B is A's <name of
  R>"; :meth:`AzureState.dependency_pairs` gives (predecessor, successor) as shown.
- ``html_rewrite``: Boards keeps descriptions as sanitized HTML of its own serialization;
  with this switch the stand-in stores a description re-serialized (no whitespace between
  tags, void elements self-closed, ``&#39;`` for an apostrophe), so it reads back other than
  it was sent, with the same words.
- ``tags_add_merges``: whether ``add`` on ``/fields/System.Tags`` merges the given tags into
  the existing ones (``True``) or replaces them (``False``); ``replace`` always replaces.
  Public reports disagree on this.

WIQL reads the work item store itself (no search index), so a query sees every write made
before it; there is deliberately no lag switch here (unlike Jira Cloud's search).
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from .processes import AGILE, Process, WorkItemType

ORG = "fabrikam"
BASE = f"https://dev.azure.com/{ORG}"
PROJECT = "MLOps"
PROJECT_ID = "aaee31d9-14cf-48b9-a92b-3f1446c13f80"
TEAM = "MLOps Team"
TEAM_ID = "564e8204-a90b-4432-883b-d4363c6125ca"
BOT = {
    "displayName": "Platform Bot",
    "id": "d291b0c4-a05c-4ea6-8df1-4b41d5f39eff",
    "uniqueName": "platform-bot@fabrikam.example",
}
PERSON = {
    "displayName": "Jamal Hartnett",
    "id": "8c8c7d32-6b1b-47f4-b2e9-30b477b5ab3d",
    "uniqueName": "jamal@fabrikam.example",
}
HIERARCHY = "System.LinkTypes.Hierarchy"
DEPENDENCY = "System.LinkTypes.Dependency"
PredecessorEnd = Literal["reverse", "forward"]


def now_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class WorkItem:
    id: int
    type: WorkItemType
    fields: dict[str, Any]
    relations: list[dict[str, Any]] = field(default_factory=list)
    rev: int = 1
    updates: list[dict[str, Any]] = field(default_factory=list)
    wiql_view: list[tuple[int, str]] = field(default_factory=list)
    """(WIQL call count after which it shows, tags then): what queries see, lagging."""

    @property
    def tags(self) -> list[str]:
        return split_tags(str(self.fields.get("System.Tags", "")))

    @property
    def state(self) -> str:
        return str(self.fields["System.State"])


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


@dataclass
class Node:
    id: int
    name: str
    identifier: str
    start: str | None = None
    finish: str | None = None
    children: list[Node] = field(default_factory=list)


@dataclass
class AzureState:
    process: Process = AGILE
    predecessor_end: PredecessorEnd = "reverse"
    tags_add_merges: bool = False
    html_rewrite: bool = False
    token: str = "azdo-pat-7f3c9e1b5d"
    items: dict[int, WorkItem] = field(default_factory=dict)
    iteration_root: Node = field(
        default_factory=lambda: Node(1, "Iteration", "a0b1c2d3-0000-4000-8000-000000000001")
    )
    team_iterations: list[str] = field(default_factory=list)
    """Identifiers of the iteration nodes the team has selected."""
    wiql_calls: int = 0
    clock: datetime = field(default_factory=lambda: datetime(2026, 1, 2, 9, 0, tzinfo=UTC))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(101))
    _node_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(2))

    # --- time and identity ---------------------------------------------------------------

    def tick(self) -> str:
        self.clock += timedelta(seconds=1)
        return now_text(self.clock)

    def next_id(self) -> int:
        return next(self._ids)

    def stored_html(self, text: str) -> str:
        """A description as the organization keeps it (see ``html_rewrite``)."""
        if not self.html_rewrite:
            return text
        text = re.sub(r">\s+<", "><", text.strip())
        text = re.sub(r"<(br|hr)\s*/?>", r"<\1 />", text)
        return text.replace("'", "&#39;")

    # --- relations -------------------------------------------------------------------------

    def relation_names(self) -> dict[str, str]:
        """Reference name -> the name the organization shows for that end."""
        forward, reverse = ("Successor", "Predecessor")
        if self.predecessor_end == "forward":
            forward, reverse = reverse, forward
        return {
            f"{HIERARCHY}-Forward": "Child",
            f"{HIERARCHY}-Reverse": "Parent",
            f"{DEPENDENCY}-Forward": forward,
            f"{DEPENDENCY}-Reverse": reverse,
            "System.LinkTypes.Related": "Related",
        }

    def item_url(self, item_id: int) -> str:
        return f"{BASE}/{PROJECT_ID}/_apis/wit/workItems/{item_id}"

    def id_from_url(self, url: str) -> int | None:
        tail = url.rstrip("/").rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() else None

    @staticmethod
    def opposite(rel: str) -> str:
        if rel.endswith("-Forward"):
            return rel[: -len("Forward")] + "Reverse"
        if rel.endswith("-Reverse"):
            return rel[: -len("Reverse")] + "Forward"
        return rel

    def parent_of(self, item_id: int) -> int | None:
        for rel in self.items[item_id].relations:
            if rel["rel"] == f"{HIERARCHY}-Reverse":
                return self.id_from_url(rel["url"])
        return None

    def dependency_pairs(self) -> list[tuple[int, int]]:
        """Every (predecessor, successor) as the organization shows it, once per relation
        end stored on the predecessor (each link is stored at both ends)."""
        names = self.relation_names()
        pairs = []
        for item in self.items.values():
            for rel in item.relations:
                if rel["rel"].startswith(DEPENDENCY) and names[rel["rel"]] == "Successor":
                    other = self.id_from_url(rel["url"])
                    assert other is not None
                    pairs.append((item.id, other))
        return pairs

    # --- what people do in the web UI -------------------------------------------------------

    def edit(self, item_id: int, reference: str, value: Any, by: dict[str, str] = PERSON) -> None:
        """Someone changes a field by hand."""
        item = self.items[item_id]
        old = item.fields.get(reference)
        item.fields[reference] = value
        self.record(item, {reference: (old, value)}, by)
        if reference == "System.Tags":
            self.tags_changed(item)

    def set_state(self, item_id: int, state: str, by: dict[str, str] = PERSON) -> None:
        item = self.items[item_id]
        known = dict(item.type.states)
        if state not in known:
            raise ValueError(f"{item.type.name} has no state {state!r}")
        old = item.state
        item.fields["System.State"] = state
        stamp = self.tick()
        item.fields["Microsoft.VSTS.Common.StateChangeDate"] = stamp
        changes: dict[str, tuple[Any, Any]] = {"System.State": (old, state)}
        if known[state] == "Completed":
            item.fields["Microsoft.VSTS.Common.ClosedDate"] = stamp
            changes["Microsoft.VSTS.Common.ClosedDate"] = (None, stamp)
        self.record(item, changes, by)

    def record(
        self,
        item: WorkItem,
        changes: dict[str, tuple[Any, Any]],
        by: dict[str, str],
        relations: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        """One revision: bump ``rev`` and keep what changed (the updates API reads it)."""
        if item.updates:
            item.rev += 1
        stamp = self.tick()
        item.fields["System.Rev"] = item.rev
        item.fields["System.ChangedBy"] = dict(by)
        item.fields["System.ChangedDate"] = stamp
        update: dict[str, Any] = {
            "id": len(item.updates) + 1,
            "workItemId": item.id,
            "rev": item.rev,
            "revisedBy": dict(by),
            "revisedDate": stamp,
            "fields": {
                name: {k: v for k, v in (("oldValue", old), ("newValue", new)) if v is not None}
                for name, (old, new) in changes.items()
            },
            "url": f"{self.item_url(item.id)}/updates/{len(item.updates) + 1}",
        }
        if relations:
            update["relations"] = relations
        item.updates.append(update)

    def tags_changed(self, item: WorkItem) -> None:
        item.wiql_view.append((self.wiql_calls, str(item.fields.get("System.Tags", ""))))

    def wiql_tags(self, item: WorkItem) -> list[str] | None:
        """The tags a query running now sees on ``item``; None: the item is not seen yet."""
        seen = [tags for after, tags in item.wiql_view if self.wiql_calls > after]
        return split_tags(seen[-1]) if seen else None

    # --- iterations -------------------------------------------------------------------------

    def new_node(self, name: str, start: str | None, finish: str | None) -> Node:
        number = next(self._node_ids)
        return Node(
            number,
            name,
            str(uuid.UUID(int=0xA0B1C2D3_0000_4000_8000_000000000000 + number)),
            start,
            finish,
        )

    def find_node(self, path: str) -> Node | None:
        node = self.iteration_root
        for part in [p for p in path.replace("\\", "/").split("/") if p]:
            child = next((c for c in node.children if c.name.lower() == part.lower()), None)
            if child is None:
                return None
            node = child
        return node

    def node_by_identifier(self, identifier: str) -> tuple[Node, str] | None:
        def walk(node: Node, path: str) -> tuple[Node, str] | None:
            if node.identifier == identifier:
                return node, path
            for child in node.children:
                found = walk(child, f"{path}\\{child.name}")
                if found:
                    return found
            return None

        return walk(self.iteration_root, f"\\{PROJECT}\\Iteration")

    def iteration_paths(self) -> set[str]:
        """The values System.IterationPath may take: the project, then node names."""
        paths = {PROJECT}

        def walk(node: Node, path: str) -> None:
            for child in node.children:
                paths.add(f"{path}\\{child.name}")
                walk(child, f"{path}\\{child.name}")

        walk(self.iteration_root, PROJECT)
        return paths
