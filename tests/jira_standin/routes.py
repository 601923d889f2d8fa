"""The REST endpoints the stand-in answers, over :class:`JiraState`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .state import (
    BLOCKS_TYPE_ID,
    EPIC_TYPE_ID,
    STORY_TYPE_ID,
    TASK_TYPE_ID,
    Issue,
    JiraState,
    Link,
)

BASE = "https://jira.example.test"
PROPERTY_LIMIT = 32_768
"""Atlassian's limit on an entity property value: "The maximum length is 32768 characters"
(and "32768 bytes" in the same operation's request body): counted here in bytes of the
body as sent, the stricter of the two readings; the site refuses a longer value with 400."""


@dataclass
class Call:
    method: str
    path: str
    """Path under /rest/api/2/."""
    query: dict[str, list[str]]
    body: Any
    auth_ok: bool
    size: int = 0
    """Length of the request body as sent, in bytes."""


Answer = tuple[int, Any]
Handler = Callable[[JiraState, Call, re.Match[str]], Answer]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(f"^{pattern}$"), handler))
        return handler

    return register


def error(status: int, *messages: str, **fields: str) -> Answer:
    return status, {"errorMessages": list(messages), "errors": dict(fields)}


_TOO_LONG = f"The property value cannot be longer than {PROPERTY_LIMIT} characters."


def _too_long(value: Any) -> bool:
    """An issue property value (sent inside a larger body) longer than the limit."""
    return len(json.dumps(value).encode()) > PROPERTY_LIMIT


def dispatch(state: JiraState, call: Call) -> Answer:
    for method, pattern, handler in ROUTES:
        match = pattern.match(call.path)
        if match and method == call.method:
            if not call.auth_ok and call.path != "serverInfo":
                return error(401, "You are not authenticated.")
            return handler(state, call, match)
    return error(404, f"no such resource: {call.method} {call.path}")


def _project_ok(state: JiraState, key: str) -> bool:
    return key in (state.project_key, state.project_id)


TYPES = (EPIC_TYPE_ID, STORY_TYPE_ID, TASK_TYPE_ID)


def _issue_type(state: JiraState, type_id: str) -> dict[str, Any]:
    return {
        "id": type_id,
        "name": state.type_names()[type_id],
        "subtask": False,
        "self": f"{BASE}/rest/api/2/issuetype/{type_id}",
        "hierarchyLevel": 1 if type_id == EPIC_TYPE_ID else 0,
    }


@route("GET", "serverInfo")
def server_info(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    cloud = state.flavour.cloud
    return 200, {
        "baseUrl": BASE,
        "deploymentType": state.flavour.deployment,
        "serverTitle": "Stand-in Jira",
        "version": "1001.0.0-SNAPSHOT" if cloud else "9.12.0",
        "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 0],
        "buildNumber": 100,
    }


@route("GET", "myself")
def myself(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    return 200, {
        "accountId": "5b10ac8d82e05b22cc7d4ef5",
        "emailAddress": state.user,
        "displayName": "Bot",
        "active": True,
        "self": f"{BASE}/rest/api/2/user?accountId=5b10ac8d82e05b22cc7d4ef5",
    }


@route("GET", r"project/(?P<key>[^/]+)")
def project(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not _project_ok(state, m["key"]):
        return error(404, "No project could be found with key '" + m["key"] + "'.")
    return 200, {
        "id": state.project_id,
        "key": state.project_key,
        "name": "MLOps",
        "self": f"{BASE}/rest/api/2/project/{state.project_id}",
        "issueTypes": [_issue_type(state, t) for t in TYPES],
    }


@route("GET", "field")
def fields(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    return 200, state.fields_catalogue()


@route("GET", r"issue/createmeta/(?P<key>[^/]+)/issuetypes/(?P<type>\d+)")
def createmeta(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not _project_ok(state, m["key"]) or m["type"] not in TYPES:
        return error(404, "Issue type or project not found")
    names = {f["id"]: f for f in state.fields_catalogue()}
    values = [
        {
            "fieldId": fid,
            "key": fid,
            "name": names[fid]["name"],
            "required": required,
            "hasDefaultValue": False,
            "operations": ["set"],
            "schema": names[fid]["schema"],
        }
        for fid, required in state.screen(m["type"]).items()
    ]
    start = int(call.query.get("startAt", ["0"])[0])
    size = int(call.query.get("maxResults", ["50"])[0])
    return 200, {
        "startAt": start,
        "maxResults": size,
        "total": len(values),
        "fields": values[start : start + size],
    }


@route("GET", "issueLinkType")
def link_types(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    def kind(tid: str, name: str, inward: str, outward: str) -> dict[str, str]:
        return {
            "id": tid,
            "name": name,
            "inward": inward,
            "outward": outward,
            "self": f"{BASE}/rest/api/2/issueLinkType/{tid}",
        }

    return 200, {
        "issueLinkTypes": [
            kind(BLOCKS_TYPE_ID, state.flavour.link_type, "is blocked by", "blocks"),
            kind("10001", "Relates", "relates to", "relates to"),
        ]
    }


def _check_fields(state: JiraState, fields: dict[str, Any], type_id: str) -> dict[str, str]:
    screen = state.screen(type_id)
    errors = {}
    for fid in fields:
        if fid not in screen:
            errors[fid] = (
                f"Field '{fid}' cannot be set. It is not on the appropriate screen, or unknown."
            )
    for fid, required in screen.items():
        if required and not fields.get(fid):
            errors[fid] = f"{fid} is required."
    epic = fields.get(state.flavour.epic_link_id or "parent")
    if epic is not None:
        epic_key = epic if isinstance(epic, str) else epic.get("key")
        target = state.issues.get(str(epic_key))
        if target is None or target.type_id != EPIC_TYPE_ID:
            errors[state.flavour.epic_link_id or "parent"] = f"Epic {epic_key} does not exist"
    if "timetracking" in fields and not re.fullmatch(
        r"(\d+h)?\s*(\d+m)?", fields["timetracking"].get("originalEstimate", "")
    ):
        errors["timetracking"] = "Invalid time duration entered."
    return errors


def _create_one(state: JiraState, update: dict[str, Any]) -> tuple[Issue | None, dict[str, str]]:
    fields = dict(update.get("fields") or {})
    project_ref = fields.pop("project", {})
    type_id = str((fields.pop("issuetype", {}) or {}).get("id", ""))
    if not _project_ok(state, str(project_ref.get("id") or project_ref.get("key"))):
        return None, {"project": "valid project is required"}
    if type_id not in TYPES:
        return None, {"issuetype": "valid issue type is required"}
    errors = _check_fields(state, {**fields, "project": 1, "issuetype": 1}, type_id)
    if errors:
        return None, errors
    if "fixVersions" in fields:
        known = {v["id"]: v for v in state.versions}
        fields["fixVersions"] = [known[v["id"]] for v in fields["fixVersions"] if v["id"] in known]
    issue_id = state.new_id()
    key = f"{state.project_key}-{state.next_number}"
    state.next_number += 1
    properties = {str(p["key"]): p["value"] for p in update.get("properties") or ()}
    if any(_too_long(value) for value in properties.values()):
        return None, {"properties": _TOO_LONG}
    issue = Issue(
        id=issue_id,
        key=key,
        type_id=type_id,
        fields=fields,
        properties=properties,
        visible_at=state.clock + state.flavour.search_lag,
    )
    state.issues[key] = issue
    return issue, {}


def _created(issue: Issue) -> dict[str, str]:
    return {"id": str(issue.id), "key": issue.key, "self": f"{BASE}/rest/api/2/issue/{issue.id}"}


@route("POST", "issue/bulk")
def bulk_create(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not state.can_create:
        return error(403, "You do not have permission to create issues in this project.")
    updates = call.body.get("issueUpdates") or []
    if len(updates) > 50:
        return error(400, "Too many issues in one request: at most 50")
    issues, errors = [], []
    for n, update in enumerate(updates):
        issue, problems = _create_one(state, update)
        if issue is None:
            errors.append(
                {
                    "status": 400,
                    "failedElementNumber": n,
                    "elementErrors": {"errorMessages": [], "errors": problems},
                }
            )
        else:
            issues.append(_created(issue))
    return (201 if issues or not errors else 400), {"issues": issues, "errors": errors}


@route("POST", "issue")
def create(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not state.can_create:
        return error(403, "You do not have permission to create issues in this project.")
    issue, problems = _create_one(state, call.body)
    if issue is None:
        return error(400, **problems)
    return 201, _created(issue)


@route("PUT", r"issue/(?P<key>[^/]+)")
def edit(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    issue = state.issues.get(m["key"])
    if issue is None:
        return error(404, "Issue does not exist or you do not have permission to see it.")
    fields = dict(call.body.get("fields") or {})
    screen = state.edit_screen(issue.type_id)
    bad = {
        f: f"Field '{f}' cannot be set. It is not on the appropriate screen, or unknown."
        for f in fields
        if f not in screen
    }
    if bad:
        return error(400, **bad)
    if "fixVersions" in fields:
        known = {v["id"]: v for v in state.versions}
        fields["fixVersions"] = [known[v["id"]] for v in fields["fixVersions"] if v["id"] in known]
    if any(_too_long(p["value"]) for p in call.body.get("properties") or ()):
        return error(400, _TOO_LONG)
    issue.fields.update(fields)
    for prop in call.body.get("properties") or ():
        issue.properties[str(prop["key"])] = prop["value"]
    for op in (call.body.get("update") or {}).get("labels", []):
        labels = issue.fields.setdefault("labels", [])
        if "add" in op and op["add"] not in labels:
            labels.append(op["add"])
        if "remove" in op and op["remove"] in labels:
            labels.remove(op["remove"])
    return 204, None


@route("GET", r"issue/(?P<key>[^/]+)/editmeta")
def editmeta(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    issue = state.issues.get(m["key"])
    if issue is None:
        return error(404, "Issue does not exist or you do not have permission to see it.")
    names = {f["id"]: f for f in state.fields_catalogue()}
    return 200, {
        "fields": {
            fid: {
                "key": fid,
                "name": names[fid]["name"],
                "required": required,
                "operations": ["set"],
                "schema": names[fid]["schema"],
            }
            for fid, required in state.edit_screen(issue.type_id).items()
            if fid in names
        }
    }


@route("POST", r"issue/(?P<key>[^/]+)/comment")
def comment(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    issue = state.issues.get(m["key"])
    if issue is None:
        return error(404, "Issue does not exist or you do not have permission to see it.")
    issue.comments.append(str(call.body.get("body")))
    cid = state.new_id()
    return 201, {
        "id": str(cid),
        "self": f"{BASE}/rest/api/2/issue/{issue.id}/comment/{cid}",
        "body": call.body.get("body"),
    }


@route("POST", "issueLink")
def link(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    body = call.body
    if (body.get("type") or {}).get("name") not in (state.flavour.link_type, "Relates"):
        return error(404, "No issue link type with name '" + str(body.get("type")) + "' found.")
    outward, inward = body["outwardIssue"]["key"], body["inwardIssue"]["key"]
    if state.flavour.link_direction == "reversed":
        outward, inward = inward, outward  # this site takes the inward issue as the blocker
    if outward not in state.issues or inward not in state.issues:
        return error(404, "Issue does not exist or you do not have permission to see it.")
    if not any(lk.outward == outward and lk.inward == inward for lk in state.links):
        state.links.append(
            Link(state.new_id(), outward, inward)
        )  # like Jira: repeating is harmless
    return 201, None


@route("DELETE", r"issueLink/(?P<id>\d+)")
def delete_link(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    kept = [lk for lk in state.links if str(lk.id) != m["id"]]
    if len(kept) == len(state.links):
        return error(404, "No issue link with id '" + m["id"] + "' exists.")
    state.links = kept
    return 204, None


@route("GET", r"project/(?P<key>[^/]+)/properties/(?P<prop>[^/]+)")
def project_property(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not _project_ok(state, m["key"]):
        return error(404, "No project could be found with key '" + m["key"] + "'.")
    if m["prop"] not in state.project_properties:
        return error(404, "The property was not found.")
    return 200, {"key": m["prop"], "value": state.project_properties[m["prop"]]}


@route("PUT", r"project/(?P<key>[^/]+)/properties/(?P<prop>[^/]+)")
def set_project_property(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not _project_ok(state, m["key"]):
        return error(404, "No project could be found with key '" + m["key"] + "'.")
    if len(m["prop"]) > 255:
        return error(400, "The property key cannot be longer than 255 characters.")
    if call.size > PROPERTY_LIMIT:
        return error(400, _TOO_LONG)
    created = m["prop"] not in state.project_properties
    state.project_properties[m["prop"]] = call.body
    return (201 if created else 200), {}


@route("GET", r"project/(?P<key>[^/]+)/versions")
def versions(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not _project_ok(state, m["key"]):
        return error(404, "No project could be found with key '" + m["key"] + "'.")
    return 200, list(state.versions)


@route("POST", "version")
def create_version(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    body = call.body
    if any(v["name"] == body.get("name") for v in state.versions):
        return error(400, name="A version with this name already exists in this project.")
    vid = str(state.new_id())
    version = {
        "id": vid,
        "name": body["name"],
        "self": f"{BASE}/rest/api/2/version/{vid}",
        "projectId": int(state.project_id),
        "archived": False,
        "released": False,
        "description": body.get("description", ""),
    }
    if body.get("releaseDate"):
        version["releaseDate"] = body["releaseDate"]
    state.versions.append(version)
    return 201, version


@route("PUT", r"version/(?P<id>\d+)")
def update_version(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    for version in state.versions:
        if version["id"] == m["id"]:
            for name in ("description", "releaseDate", "name"):
                if name in call.body:
                    if call.body[name] is None:
                        version.pop(name, None)
                    else:
                        version[name] = call.body[name]
            return 200, version
    return error(404, "Could not find version for id '" + m["id"] + "'")
