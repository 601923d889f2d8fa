"""The typed gateway over Azure DevOps Boards' REST API (7.1), with ``requests``.

:func:`connect` reads the work item types of the project's Epic and
Requirement categories (never assumed: User Story, Product Backlog Item, Issue or
Requirement), their states and fields, and the relation types; it returns an
:class:`AzureBoardsGateway` that speaks only our dataclasses.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import requests

from integrations.azure_devops._http import AzureHttp, Sleep
from integrations.azure_devops.models import (
    FieldRevision,
    ItemKind,
    ItemType,
    Iteration,
    PatchOperation,
    Project,
    Relation,
    RemoteWorkItem,
    StateCategory,
)
from integrations.azure_devops.settings import AzureCredentials, AzureSettings
from integrations.tracker.http import RetryPolicy
from planner.errors import TrackerError

BATCH_LIMIT = 200
EFFORT_FIELDS = (
    "Microsoft.VSTS.Scheduling.Effort",
    "Microsoft.VSTS.Scheduling.StoryPoints",
    "Microsoft.VSTS.Scheduling.Size",
    "Microsoft.VSTS.Scheduling.OriginalEstimate",
)
PROCESSES = {
    "User Story": "Agile",
    "Product Backlog Item": "Scrum",
    "Issue": "Basic",
    "Requirement": "CMMI",
}
"""The process a requirement type stands for (for messages; a custom process may differ)."""
START_DATE = "Microsoft.VSTS.Scheduling.StartDate"
TARGET_DATE = "Microsoft.VSTS.Scheduling.TargetDate"
_CATEGORIES: tuple[StateCategory, ...] = (
    "Proposed",
    "InProgress",
    "Resolved",
    "Completed",
    "Removed",
)


def connect(
    settings: AzureSettings,
    credentials: AzureCredentials,
    *,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> AzureBoardsGateway:
    """Connect to the project in ``settings``; fail early, in the user's words."""
    http = AzureHttp(
        session or requests.Session(),
        settings.base_url,
        credentials.token,
        sleep=sleep,
        policy=retry or RetryPolicy(),
        timeout=timeout,
    )
    try:
        return AzureBoardsGateway(http, settings)
    except TrackerError as exc:
        raise TrackerError(f"{exc.message}\nNothing was changed in Azure DevOps.") from None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _identity(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("uniqueName") or value.get("id") or value.get("displayName") or "")
    return str(value or "")


def _values(answer: Any) -> list[Any]:
    """A list answer: Azure DevOps wraps lists as ``{"count": n, "value": [...]}``."""
    if isinstance(answer, dict) and isinstance(answer.get("value"), list):
        return list(answer["value"])
    if isinstance(answer, list):
        return answer
    raise TrackerError("Azure DevOps answered a list request with something else")


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(";") if t.strip())


def tag_text(tags: Iterable[str]) -> str:
    return "; ".join(tags)


class AzureBoardsGateway:
    """What the sync needs from one project's Boards, in our own types."""

    def __init__(self, http: AzureHttp, settings: AzureSettings) -> None:
        self._http = http
        self.settings = settings
        # Only Work Items scopes are asked of the token, so the project itself (Project and
        # Team scope) is not read: the types come from the categories, the team is named or
        # the default team's name (the project's name + " Team").
        name = settings.project
        team = settings.team or f"{name} Team"
        categories = {
            str(c.get("referenceName")): c
            for c in _values(
                http.request(
                    "GET",
                    f"{name}/_apis/wit/workitemtypecategories",
                    action=f"read the work item type categories of {name}",
                )
            )
        }
        chosen = {}
        for kind, category in (
            ("epic", "Microsoft.EpicCategory"),
            ("requirement", "Microsoft.RequirementCategory"),
        ):
            default = (categories.get(category) or {}).get("defaultWorkItemType") or {}
            if not default.get("name"):
                raise TrackerError(
                    f"project {name} has no work item type in {category}; the backlog needs "
                    f"an {kind} type"
                )
            chosen[kind] = self._item_type(str(default["name"]))
        relation_names = {
            str(r.get("referenceName")): str(r.get("name"))
            for r in _values(
                http.request(
                    "GET", "_apis/wit/workitemrelationtypes", action="read the relation types"
                )
            )
        }
        for needed in ("System.LinkTypes.Hierarchy", "System.LinkTypes.Dependency"):
            if f"{needed}-Forward" not in relation_names:
                raise TrackerError(f"the organization has no relation type {needed}")
        self.project = Project(
            id=name,
            name=name,
            process=PROCESSES.get(chosen["requirement"].name, ""),
            team=team,
            epic=chosen["epic"],
            requirement=chosen["requirement"],
            relation_names=relation_names,
        )

    # --- project metadata -------------------------------------------------------------------

    def _item_type(self, type_name: str) -> ItemType:
        project = self.settings.project
        states: dict[str, StateCategory] = {}
        for state in _values(
            self._http.request(
                "GET",
                f"{project}/_apis/wit/workitemtypes/{type_name}/states",
                action=f"read the states of {type_name}",
            )
        ):
            category = str(state.get("category"))
            if category in _CATEGORIES:
                states[str(state["name"])] = category
        fields = frozenset(
            str(f.get("referenceName"))
            for f in _values(
                self._http.request(
                    "GET",
                    f"{project}/_apis/wit/workitemtypes/{type_name}/fields",
                    action=f"read the fields of {type_name}",
                )
            )
        )
        effort = next((f for f in EFFORT_FIELDS if f in fields), None)
        return ItemType(type_name, states, fields, effort)

    @property
    def calls(self) -> int:
        return self._http.calls

    def browse_url(self, item_id: int) -> str:
        return f"{self._http.base_url}/{self.settings.project}/_workitems/edit/{item_id}"

    def item_url(self, item_id: int) -> str:
        """The API URL of a work item, as relations take it."""
        return self._http.url(f"_apis/wit/workItems/{item_id}")

    # --- work items -------------------------------------------------------------------------

    def query_ids(self, wiql: str) -> list[int]:
        """Ids of the work items a flat WIQL query finds."""
        project = self.settings.project
        raw = self._http.request(
            "POST",
            f"{project}/_apis/wit/wiql",
            body={"query": wiql},
            action=f"query the work items of {project}",
            idempotent=True,
        )
        return [int(ref["id"]) for ref in (raw or {}).get("workItems") or ()]

    def read_items(self, ids: Sequence[int]) -> list[RemoteWorkItem]:
        """The work items with their relations, 200 per call."""
        found: list[RemoteWorkItem] = []
        for start in range(0, len(ids), BATCH_LIMIT):
            raw = self._http.request(
                "POST",
                f"{self.settings.project}/_apis/wit/workitemsbatch",
                body={
                    "ids": list(ids[start : start + BATCH_LIMIT]),
                    "$expand": "relations",
                    "errorPolicy": "omit",
                },
                action=f"read work items of {self.settings.project}",
                idempotent=True,
            )
            found += [self.parse_item(x) for x in _values(raw) if x]
        return found

    def parse_item(self, raw: Mapping[str, Any]) -> RemoteWorkItem:
        """Our view of a work item from its JSON (``id``, ``rev``, ``fields``, ``relations``)."""
        fields = raw.get("fields") or {}
        type_name = str(fields.get("System.WorkItemType", ""))
        item_type = self._type_named(type_name)
        state = str(fields.get("System.State", ""))
        category: StateCategory = (
            item_type.states.get(state, "Proposed") if item_type else "Proposed"
        )
        effort_field = item_type.effort_field if item_type else None
        effort = fields.get(effort_field) if effort_field else None
        relations = []
        for rel in raw.get("relations") or ():
            target = str(rel.get("url", "")).rstrip("/").rsplit("/", 1)[-1]
            if target.isdigit():
                relations.append(Relation(str(rel.get("rel")), int(target)))
        return RemoteWorkItem(
            id=int(raw["id"]),
            rev=int(raw.get("rev") or 0),
            type=type_name,
            title=str(fields.get("System.Title", "")),
            tags=split_tags(str(fields.get("System.Tags", ""))),
            state=state,
            state_category=category,
            description=str(fields.get("System.Description", "") or ""),
            start_date=_date(fields.get(START_DATE)),
            target_date=_date(fields.get(TARGET_DATE)),
            effort=float(effort) if isinstance(effort, int | float) else None,
            iteration=str(fields.get("System.IterationPath", "")),
            created_by=_identity(fields.get("System.CreatedBy")),
            closed_date=_datetime(
                fields.get("Microsoft.VSTS.Common.ClosedDate")
                or fields.get("Microsoft.VSTS.Common.StateChangeDate")
            ),
            relations=tuple(relations),
        )

    def _type_named(self, name: str) -> ItemType | None:
        for item_type in (self.project.epic, self.project.requirement):
            if item_type.name.lower() == name.lower():
                return item_type
        return None

    def create_item(self, kind: ItemKind, operations: Sequence[PatchOperation]) -> RemoteWorkItem:
        """Create one work item of the project's epic or requirement type."""
        type_name = self.project.type_of(kind).name
        raw = self._http.request(
            "POST",
            f"{self.settings.project}/_apis/wit/workitems/${type_name}",
            body=list(operations),
            patch_document=True,
            params={"$expand": "relations"},
            action=f"create a {type_name} in {self.settings.project}",
        )
        return self.parse_item(raw)

    def update_item(
        self, item_id: int, operations: Sequence[PatchOperation], *, idempotent: bool = False
    ) -> RemoteWorkItem:
        """Apply a JSON Patch document to a work item. Setting fields is idempotent (retried
        after a lost answer); adding a relation or a comment is not (look after a loss)."""
        raw = self._http.request(
            "PATCH",
            f"{self.settings.project}/_apis/wit/workitems/{item_id}",
            body=list(operations),
            patch_document=True,
            params={"$expand": "relations"},
            action=f"change work item {item_id}",
            idempotent=idempotent,
        )
        return self.parse_item(raw)

    def revisions(self, item_id: int) -> list[FieldRevision]:
        """Every field change of a work item, oldest first, with who made it."""
        raw = self._http.request(
            "GET",
            f"{self.settings.project}/_apis/wit/workItems/{item_id}/updates",
            action=f"read the history of work item {item_id}",
        )
        found = []
        for update in _values(raw):
            who = _identity(update.get("revisedBy"))
            for name, change in (update.get("fields") or {}).items():
                if isinstance(change, dict):
                    found.append(
                        FieldRevision(
                            int(update.get("rev") or 0), who, name, change.get("newValue")
                        )
                    )
        return found

    # --- iterations -------------------------------------------------------------------------

    def iterations(self) -> list[Iteration]:
        """The iteration nodes under the project's root, two levels deep."""
        raw = self._http.request(
            "GET",
            f"{self.settings.project}/_apis/wit/classificationnodes/iterations",
            params={"$depth": "2"},
            action=f"read the iterations of {self.settings.project}",
        )
        found: list[Iteration] = []

        def walk(node: Mapping[str, Any], path: str) -> None:
            for child in node.get("children") or ():
                child_path = f"{path}\\{child['name']}"
                found.append(self._iteration(child, child_path))
                walk(child, child_path)

        walk(raw or {}, self.project.name)
        return found

    def _iteration(self, raw: Mapping[str, Any], path: str) -> Iteration:
        attributes = raw.get("attributes") or {}
        return Iteration(
            identifier=str(raw.get("identifier") or raw.get("id")),
            name=str(raw.get("name")),
            path=path,
            start=_date(attributes.get("startDate")),
            finish=_date(attributes.get("finishDate")),
        )

    def create_iteration(self, name: str, start: date, finish: date) -> Iteration:
        """A new iteration under the project's iteration root."""
        raw = self._http.request(
            "POST",
            f"{self.settings.project}/_apis/wit/classificationnodes/iterations",
            body={
                "name": name,
                "attributes": {
                    "startDate": f"{start.isoformat()}T00:00:00Z",
                    "finishDate": f"{finish.isoformat()}T00:00:00Z",
                },
            },
            action=f"create iteration {name!r} in {self.settings.project}",
        )
        return self._iteration(raw, f"{self.project.name}\\{name}")

    def team_iterations(self) -> set[str]:
        """Identifiers of the iterations the team has selected."""
        project, team = self.settings.project, self.project.team
        raw = self._http.request(
            "GET",
            f"{project}/{team}/_apis/work/teamsettings/iterations",
            action=f"read the sprints of team {team}",
        )
        return {str(x.get("id")) for x in _values(raw)}

    def add_team_iteration(self, identifier: str) -> None:
        project, team = self.settings.project, self.project.team
        self._http.request(
            "POST",
            f"{project}/{team}/_apis/work/teamsettings/iterations",
            body={"id": identifier},
            action=f"add a sprint to team {team}",
            idempotent=True,
            accept=(409,),  # already selected: an earlier answer was lost
        )
