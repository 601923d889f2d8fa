"""The REST endpoints the stand-in answers, over :class:`AzureState`.

Lists are answered in Azure DevOps' envelope ``{"count": n, "value": [...]}``; errors as
``{"message": ..., "typeKey": ...}`` with the TF codes Boards uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .state import (
    BASE,
    HIERARCHY,
    PROJECT,
    PROJECT_ID,
    TEAM,
    TEAM_ID,
    AzureState,
)


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


__all__ = ["Answer", "Call", "dispatch", "error", "listing", "route"]
