"""Iteration endpoints: classification nodes under the project's iteration root, and the
iterations a team has selected."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from .routes import _PROJECT, _TEAM, Answer, Call, error, listing, route
from .state import (
    BASE,
    PROJECT,
    PROJECT_ID,
    TEAM_ID,
    AzureState,
    Node,
)
from .workitems import iso_date as _date

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
