"""Work item endpoints: WIQL, batch reads, the updates list, JSON Patch create and update
(with relations kept at both ends)."""

from __future__ import annotations

import copy
import re
from typing import Any

from .routes import _PROJECT, _TEAM, Answer, Call, error, listing, route
from .state import (
    BASE,
    HIERARCHY,
    PROJECT,
    AzureState,
    WorkItem,
    split_tags,
)
from .wiql import WiqlError, parse

BATCH_LIMIT = 200


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


def iso_date(value: Any) -> str:
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
        value = iso_date(value)
    elif ref.startswith("Microsoft.VSTS.Scheduling."):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise PatchError(f"TF401326: Invalid field value for {ref}: expected a number.")
    elif ref == "System.IterationPath":
        if str(value) not in state.iteration_paths():
            raise PatchError(
                f"TF401347: Invalid tree name given for work item {item.id}, field 'System.IterationPath'."
            )
    elif ref == "System.Description":
        value = state.stored_html(str(value or ""))
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
