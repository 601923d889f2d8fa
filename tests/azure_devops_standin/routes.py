"""The REST endpoints the stand-in answers, over :class:`AzureState`.

Lists are answered in Azure DevOps' envelope ``{"count": n, "value": [...]}``; errors as
``{"message": ..., "typeKey": ...}`` with the TF codes Boards uses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .state import (
    BASE,
    DEPENDENCY,
    HIERARCHY,
    ORG,
    PROJECT,
    PROJECT_ID,
    TEAM,
    TEAM_ID,
    AzureState,
    Node,
    WorkItem,
    split_tags,
)
from .wiql import WiqlError, parse

BATCH_LIMIT = 200


@dataclass
class Call:
    method: str
    path: str
    """Path after the organization, e.g. ``/MLOps/_apis/wit/wiql``, unquoted."""
    query: dict[str, list[str]]
    body: Any
    identity: dict[str, str] | None
    """Who the token belongs to; None: not authenticated."""


Answer = tuple[int, Any]
Handler = Callable[[AzureState, Call, re.Match[str]], Answer]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
_PROJECT = r"(?P<project>[^/]+)"
_TEAM = r"(?P<team>[^/]+)"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(f"^{pattern}$", re.IGNORECASE), handler))
        return handler

    return register


def error(status: int, message: str, type_key: str = "VssServiceException") -> Answer:
    return status, {
        "$id": "1",
        "innerException": None,
        "message": message,
        "typeName": f"Microsoft.VisualStudio.Services.WebApi.{type_key}",
        "typeKey": type_key,
        "errorCode": 0,
        "eventId": 3200,
    }


def listing(values: list[Any]) -> Answer:
    return 200, {"count": len(values), "value": values}


def dispatch(state: AzureState, call: Call) -> Answer:
    for method, pattern, handler in ROUTES:
        match = pattern.match(call.path)
        if match and method == call.method:
            if call.identity is None:
                return 401, None  # Azure DevOps answers an unknown token with an empty 401
            project = match.groupdict().get("project")
            if project is not None and project.lower() not in (PROJECT.lower(), PROJECT_ID):
                return error(
                    404,
                    f"TF200016: The following project does not exist: {project}.",
                    "ProjectDoesNotExistWithNameException",
                )
            team = match.groupdict().get("team")
            if team is not None and team.lower() not in (TEAM.lower(), TEAM_ID):
                return error(
                    404, f"The team with id {team} does not exist.", "TeamNotFoundException"
                )
            return handler(state, call, match)
    return error(404, f"no such resource: {call.method} {call.path}")


# --- project, process, types ------------------------------------------------------------


@route("GET", r"/_apis/projects/" + r"(?P<project_id>[^/]+)")
def get_project(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    if m["project_id"].lower() not in (PROJECT.lower(), PROJECT_ID):
        return error(
            404,
            f"TF200016: The following project does not exist: {m['project_id']}.",
            "ProjectDoesNotExistWithNameException",
        )
    answer: dict[str, Any] = {
        "id": PROJECT_ID,
        "name": PROJECT,
        "url": f"{BASE}/_apis/projects/{PROJECT_ID}",
        "state": "wellFormed",
        "revision": 7,
        "visibility": "private",
        "defaultTeam": {
            "id": TEAM_ID,
            "name": TEAM,
            "url": f"{BASE}/_apis/projects/{PROJECT_ID}/teams/{TEAM_ID}",
        },
    }
    if call.query.get("includeCapabilities") == ["true"]:
        answer["capabilities"] = {
            "processTemplate": {
                "templateName": state.process.name,
                "templateTypeId": state.process.type_id,
            },
            "versioncontrol": {"sourceControlType": "Git"},
        }
    return 200, answer


@route("GET", r"/_apis/wit/workitemrelationtypes")
def relation_types(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    values = []
    for reference, name in state.relation_names().items():
        forward = reference.endswith("-Forward")
        attributes: dict[str, Any] = {"usage": "workItemLink", "editable": True, "enabled": True}
        if reference.endswith(("-Forward", "-Reverse")):
            attributes |= {
                "directional": True,
                "isForward": forward,
                "topology": "tree" if reference.startswith(HIERARCHY) else "dependency",
                "oppositeEndReferenceName": state.opposite(reference),
            }
        values.append({
            "attributes": attributes,
            "referenceName": reference,
            "name": name,
            "url": f"{BASE}/_apis/wit/workItemRelationTypes/{reference}",
        })  # fmt: skip
    return listing(values)


def _type_ref(name: str) -> dict[str, Any]:
    return {"name": name, "url": f"{BASE}/{PROJECT_ID}/_apis/wit/workItemTypes/{name}"}


@route("GET", rf"/{_PROJECT}/_apis/wit/workitemtypecategories")
def categories(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    values = []
    for reference, name, types in state.process.categories:
        entry: dict[str, Any] = {
            "name": name,
            "referenceName": reference,
            "workItemTypes": [_type_ref(t) for t in types],
            "url": f"{BASE}/{PROJECT_ID}/_apis/wit/workItemTypeCategories/{reference}",
        }
        if types:
            entry["defaultWorkItemType"] = _type_ref(types[0])
        values.append(entry)
    return listing(values)


@route("GET", rf"/{_PROJECT}/_apis/wit/workitemtypes/(?P<type>[^/]+)/fields")
def type_fields(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    from .processes import FIELD_NAMES

    kind = state.process.type(m["type"])
    if kind is None:
        return error(
            404,
            f"TF51535: Cannot find work item type {m['type']}.",
            "WorkItemTypeNotFoundException",
        )
    return listing([
        {
            "alwaysRequired": ref == "System.Title",
            "referenceName": ref,
            "name": FIELD_NAMES.get(ref, ref),
            "url": f"{BASE}/_apis/wit/fields/{ref}",
        }
        for ref in kind.all_fields
    ])  # fmt: skip


@route("GET", rf"/{_PROJECT}/_apis/wit/workitemtypes/(?P<type>[^/]+)/states")
def type_states(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    kind = state.process.type(m["type"])
    if kind is None:
        return error(
            404,
            f"TF51535: Cannot find work item type {m['type']}.",
            "WorkItemTypeNotFoundException",
        )
    return listing(
        [{"name": name, "color": "b2b2b2", "category": category} for name, category in kind.states]
    )


# --- work items ---------------------------------------------------------------------------


def item_json(state: AzureState, item: WorkItem, relations: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": item.id,
        "rev": item.rev,
        "fields": {k: v for k, v in item.fields.items() if v is not None and k != "System.History"},
        "url": state.item_url(item.id),
    }
    if relations and item.relations:
        answer["relations"] = [dict(r) for r in item.relations]
    return answer


def _expand(value: Any) -> str:
    return str(value or "none").lower()


@route("POST", rf"/{_PROJECT}/_apis/wit/wiql")
@route("POST", rf"/{_PROJECT}/{_TEAM}/_apis/wit/wiql")
def wiql(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    query = (call.body or {}).get("query")
    if not isinstance(query, str) or not query.strip():
        return error(400, "TF51006: The query is empty.", "QueryException")
    state.wiql_calls += 1
    try:
        predicate = parse(query, PROJECT)
    except WiqlError as exc:
        return error(400, str(exc), "QueryException")
    found = []
    for item in sorted(state.items.values(), key=lambda i: i.id):
        tags = state.wiql_tags(item)
        if tags is not None and predicate(item.fields, tags):
            found.append({"id": item.id, "url": state.item_url(item.id)})
    top = call.query.get("$top")
    if top:
        found = found[: int(top[0])]
    return 200, {
        "queryType": "flat",
        "queryResultType": "workItem",
        "asOf": state.tick(),
        "columns": [
            {
                "referenceName": "System.Id",
                "name": "ID",
                "url": f"{BASE}/_apis/wit/fields/System.Id",
            }
        ],
        "workItems": found,
    }


@route("POST", rf"/{_PROJECT}/_apis/wit/workitemsbatch")
def batch(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    body = call.body or {}
    ids = body.get("ids") or []
    if len(ids) > BATCH_LIMIT:
        return error(
            400, f"VS402337: The number of work items requested exceeds the limit of {BATCH_LIMIT}."
        )
    expand = _expand(body.get("$expand"))
    if body.get("fields") and expand != "none":
        return error(
            400,
            "The expand parameter can not be used with the fields parameter.",
            "ConflictingParametersException",
        )
    values: list[dict[str, Any] | None] = []
    for item_id in ids:
        item = state.items.get(int(item_id))
        if item is None:
            if body.get("errorPolicy") == "omit":
                values.append(None)
                continue
            return error(
                404,
                f"TF401232: Work item {item_id} does not exist.",
                "WorkItemUnauthorizedAccessException",
            )
        answer = item_json(state, item, expand in ("relations", "all"))
        if body.get("fields"):
            wanted = set(body["fields"])
            answer["fields"] = {k: v for k, v in answer["fields"].items() if k in wanted}
        values.append(answer)
    return listing(values)


@route("GET", rf"/{_PROJECT}/_apis/wit/workItems/(?P<id>\d+)/updates")
def updates(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    item = state.items.get(int(m["id"]))
    if item is None:
        return error(404, f"TF401232: Work item {m['id']} does not exist.")
    return listing([dict(u) for u in item.updates])


class PatchError(ValueError):
    pass


def _date(value: Any) -> str:
    text = str(value)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return f"{text}T00:00:00Z"
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", text):
        return text.split(".")[0].rstrip("Z") + "Z"
    raise PatchError(f"TF401326: Invalid field value {text!r}: not a date.")


def _set_field(state: AzureState, item: WorkItem, op: str, ref: str, value: Any) -> tuple[Any, Any]:
    if ref not in item.type.all_fields:
        raise PatchError(f"TF51535: Cannot find field {ref}.")
    if ref in (
        "System.Id",
        "System.WorkItemType",
        "System.TeamProject",
        "System.CreatedBy",
        "System.CreatedDate",
        "System.ChangedBy",
        "System.ChangedDate",
    ):
        raise PatchError(f"TF401320: Rule Error for field {ref}. Error code: ReadOnly.")
    old = item.fields.get(ref)
    if op == "remove":
        item.fields.pop(ref, None)
        return old, None
    if ref == "System.Tags":
        given = split_tags(str(value or ""))
        if op == "add" and state.tags_add_merges:
            given = split_tags(str(old or "")) + given
        unique: dict[str, str] = {}
        for tag in given:
            unique.setdefault(tag.lower(), tag)
        value = "; ".join(sorted(unique.values(), key=str.lower))
    elif ref in ("Microsoft.VSTS.Scheduling.StartDate", "Microsoft.VSTS.Scheduling.TargetDate"):
        value = _date(value)
    elif ref.startswith("Microsoft.VSTS.Scheduling."):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise PatchError(f"TF401326: Invalid field value for {ref}: expected a number.")
    elif ref == "System.IterationPath":
        if str(value) not in state.iteration_paths():
            raise PatchError(
                f"TF401347: Invalid tree name given for work item {item.id}, field 'System.IterationPath'."
            )
    elif ref == "System.State":
        states = dict(item.type.states)
        if value not in states:
            raise PatchError(
                "TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues."
            )
    elif ref == "System.Title":
        if not str(value or "").strip():
            raise PatchError("TF401320: Rule Error for field Title. Error code: Required.")
        if len(str(value)) > 255:
            raise PatchError("TF401320: Rule Error for field Title. Error code: MaxLength.")
    item.fields[ref] = value
    return old, value


def _add_relation(
    state: AzureState, item: WorkItem, value: Any, added: list[dict[str, Any]]
) -> None:
    if not isinstance(value, dict) or not value.get("rel") or not value.get("url"):
        raise PatchError("VS403201: a relation needs rel and url.")
    rel = str(value["rel"])
    if rel not in state.relation_names():
        raise PatchError(f"TF201063: Link type {rel} does not exist.")
    other_id = state.id_from_url(str(value["url"]))
    other = state.items.get(other_id or -1)
    if other is None:
        raise PatchError(f"TF201003: The work item {value['url']} does not exist.")
    if other.id == item.id:
        raise PatchError("TF201034: a work item cannot be linked to itself.")
    if any(r["rel"] == rel and state.id_from_url(r["url"]) == other.id for r in item.relations):
        raise PatchError(f"TF201035: Relation already exists: {rel} to {other.id}.")
    if rel == f"{HIERARCHY}-Reverse" and any(r["rel"] == rel for r in item.relations):
        raise PatchError(
            f"TF201036: You cannot add a Parent link to work item {item.id}: a work item can have only one Parent link."
        )
    if rel == f"{HIERARCHY}-Forward" and state.parent_of(other.id) is not None:
        raise PatchError(
            f"TF201036: You cannot add a Child link to work item {other.id}: a work item can have only one Parent link."
        )
    attributes = dict(value.get("attributes") or {})
    attributes.setdefault("isLocked", False)
    relation = {"rel": rel, "url": state.item_url(other.id), "attributes": attributes}
    item.relations.append(relation)
    added.append(relation)


def apply_patch(
    state: AzureState, item: WorkItem, document: Any, identity: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Apply a JSON Patch document to ``item`` (a draft copy: all or nothing); returns the
    relations added and removed, for :func:`link_far_ends`."""
    if not isinstance(document, list) or not document:
        raise PatchError("VS403396: a JSON Patch document (a non-empty list) is expected.")
    changes: dict[str, tuple[Any, Any]] = {}
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for operation in document:
        op = str(operation.get("op", "")).lower()
        path = str(operation.get("path", ""))
        value = operation.get("value")
        if op == "test":
            if path == "/rev" and value != item.rev:
                raise PatchError(
                    f"TF26071: This work item has been changed by someone else since you opened it (rev {item.rev})."
                )
            continue
        if path.startswith("/fields/"):
            if op not in ("add", "replace", "remove"):
                raise PatchError(f"op {op} is not supported on fields")
            ref = path[len("/fields/") :]
            old, new = _set_field(state, item, op, ref, value)
            if old != new:
                first = changes.get(ref, (old, new))[0]
                changes[ref] = (first, new)
        elif path == "/relations/-" and op == "add":
            _add_relation(state, item, value, added)
        elif re.fullmatch(r"/relations/\d+", path) and op == "remove":
            index = int(path.rsplit("/", 1)[1])
            if index >= len(item.relations):
                raise PatchError(f"VS403201: no relation at index {index}.")
            removed.append(item.relations.pop(index))
        else:
            raise PatchError(f"VS403201: path {path} with op {op} is not supported.")
    relations = {k: v for k, v in (("added", added), ("removed", removed)) if v}
    if "System.Tags" in changes:
        state.tags_changed(item)
    state.record(item, changes, identity, relations or None)
    return added, removed


def link_far_ends(
    state: AzureState,
    item: WorkItem,
    added: list[dict[str, Any]],
    removed: list[dict[str, Any]],
    identity: dict[str, str],
) -> None:
    """A link is kept at both ends: once ``item``'s patch succeeded, the far ends change
    too, each with a revision of its own."""
    url = state.item_url(item.id)
    for kind, changed in (("added", added), ("removed", removed)):
        for relation in changed:
            other = state.items.get(state.id_from_url(relation["url"]) or -1)
            if other is None or other is item:
                continue
            back = {
                "rel": state.opposite(relation["rel"]),
                "url": url,
                "attributes": {"isLocked": False},
            }
            if kind == "added":
                other.relations.append(back)
            else:
                other.relations = [
                    r for r in other.relations
                    if not (r["rel"] == back["rel"] and state.id_from_url(r["url"]) == item.id)
                ]  # fmt: skip
            state.record(other, {}, identity, {kind: [back]})


def _copy(item: WorkItem) -> WorkItem:
    return copy.deepcopy(item)


@route("POST", rf"/{_PROJECT}/_apis/wit/workitems/\$(?P<type>[^/]+)")
def create(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    assert call.identity is not None
    kind = state.process.type(m["type"])
    if kind is None:
        return error(
            404,
            f"TF51535: Cannot find work item type {m['type']}.",
            "WorkItemTypeNotFoundException",
        )
    stamp = state.tick()
    item = WorkItem(
        id=-1,
        type=kind,
        fields={
            "System.AreaPath": PROJECT,
            "System.TeamProject": PROJECT,
            "System.IterationPath": PROJECT,
            "System.WorkItemType": kind.name,
            "System.State": kind.states[0][0],
            "System.Reason": "New",
            "System.CreatedBy": dict(call.identity),
            "System.CreatedDate": stamp,
            "Microsoft.VSTS.Common.StateChangeDate": stamp,
            "Microsoft.VSTS.Common.Priority": 2,
        },
    )
    draft = _copy(item)
    try:
        added, removed = apply_patch(state, draft, call.body, call.identity)
    except PatchError as exc:
        return error(400, str(exc), "WorkItemPatchException")
    if not str(draft.fields.get("System.Title", "")).strip():
        return error(
            400,
            "TF401320: Rule Error for field Title. Error code: Required.",
            "RuleValidationException",
        )
    draft.id = state.next_id()
    draft.fields["System.Id"] = draft.id
    for update in draft.updates:
        update["workItemId"] = draft.id
    state.items[draft.id] = draft
    link_far_ends(state, draft, added, removed, call.identity)
    state.tags_changed(draft)
    draft.wiql_view = draft.wiql_view[-1:]
    return 200, item_json(
        state, draft, _expand(call.query.get("$expand", ["none"])[0]) in ("relations", "all")
    )


@route("PATCH", rf"/{_PROJECT}/_apis/wit/workitems/(?P<id>\d+)")
def update(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    assert call.identity is not None
    item = state.items.get(int(m["id"]))
    if item is None:
        return error(
            404,
            f"TF401232: Work item {m['id']} does not exist.",
            "WorkItemUnauthorizedAccessException",
        )
    draft = _copy(item)
    try:
        added, removed = apply_patch(state, draft, call.body, call.identity)
    except PatchError as exc:
        return error(400, str(exc), "WorkItemPatchException")
    state.items[draft.id] = draft
    link_far_ends(state, draft, added, removed, call.identity)
    return 200, item_json(
        state, draft, _expand(call.query.get("$expand", ["none"])[0]) in ("relations", "all")
    )


# --- iterations ---------------------------------------------------------------------------


def node_json(node: Node, path: str, depth: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": node.id,
        "identifier": node.identifier,
        "name": node.name,
        "structureType": "iteration",
        "hasChildren": bool(node.children),
        "path": path,
        "url": f"{BASE}/{PROJECT_ID}/_apis/wit/classificationNodes/Iterations",
    }
    if node.start or node.finish:
        answer["attributes"] = {"startDate": node.start, "finishDate": node.finish}
    if depth > 0 and node.children:
        answer["children"] = [node_json(c, f"{path}\\{c.name}", depth - 1) for c in node.children]
    return answer


def _node_path(raw: str | None) -> str:
    return unquote(raw or "").strip("/")


@route("GET", rf"/{_PROJECT}/_apis/wit/classificationnodes/iterations(?:/(?P<path>.+))?")
def get_node(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    path = _node_path(m["path"])
    node = state.find_node(path)
    if node is None:
        return error(
            404,
            f"VS402485: The node with path {path} does not exist.",
            "WorkItemClassificationNodeDoesNotExistException",
        )
    depth = int(call.query.get("$depth", ["0"])[0])
    full = f"\\{PROJECT}\\Iteration" + "".join(f"\\{p}" for p in path.split("/") if p)
    return 200, node_json(node, full, depth)


@route("POST", rf"/{_PROJECT}/_apis/wit/classificationnodes/iterations(?:/(?P<path>.+))?")
def create_node(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    path = _node_path(m["path"])
    parent = state.find_node(path)
    if parent is None:
        return error(404, f"VS402485: The node with path {path} does not exist.")
    body = call.body or {}
    name = str(body.get("name") or "").strip()
    if not name or any(c in name for c in '\\/$?*:"&<>#%|+'):
        return error(
            400,
            f"VS402481: The name {name!r} is not valid for a node.",
            "ClassificationNodeInvalidNameException",
        )
    if any(c.name.lower() == name.lower() for c in parent.children):
        return error(
            409,
            f"VS402371: Classification node name {name} is already in use by a different child of parent classification node {parent.identifier}.",
            "ClassificationNodeDuplicateNameException",
        )
    attributes = body.get("attributes") or {}
    start, finish = attributes.get("startDate"), attributes.get("finishDate")
    if bool(start) != bool(finish):
        return error(
            400, "VS402489: an iteration needs both a start and a finish date, or neither."
        )
    node = state.new_node(name, _date(start) if start else None, _date(finish) if finish else None)
    parent.children.append(node)
    full = f"\\{PROJECT}\\Iteration" + "".join(f"\\{p}" for p in path.split("/") if p) + f"\\{name}"
    return 200, node_json(node, full, 0)


@route("GET", rf"/{_PROJECT}/{_TEAM}/_apis/work/teamsettings/iterations")
def team_iterations(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    values = []
    for identifier in state.team_iterations:
        found = state.node_by_identifier(identifier)
        if found is not None:
            values.append(_team_iteration(*found))
    return listing(values)


def _team_iteration(node: Node, path: str) -> dict[str, Any]:
    return {
        "id": node.identifier,
        "name": node.name,
        "path": path.removeprefix("\\").replace("\\Iteration", "", 1),
        "attributes": {"startDate": node.start, "finishDate": node.finish, "timeFrame": "future"},
        "url": f"{BASE}/{PROJECT_ID}/{TEAM_ID}/_apis/work/teamsettings/iterations/{node.identifier}",
    }


@route("POST", rf"/{_PROJECT}/{_TEAM}/_apis/work/teamsettings/iterations")
def add_team_iteration(state: AzureState, call: Call, m: re.Match[str]) -> Answer:
    identifier = str((call.body or {}).get("id") or "")
    found = state.node_by_identifier(identifier)
    if found is None:
        return error(
            404, f"VS403209: iteration {identifier} does not exist.", "NodeNotFoundException"
        )
    if identifier in state.team_iterations:
        return error(409, f"VS403210: iteration {identifier} is already selected for the team.")
    state.team_iterations.append(identifier)
    return 200, _team_iteration(*found)


__all__ = ["DEPENDENCY", "ORG", "Call", "dispatch"]
