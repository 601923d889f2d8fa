"""Search endpoints of the stand-in: Cloud ``/search/jql`` (nextPageToken) and Server
``/search`` (startAt), with issues rendered as Jira returns them."""

from __future__ import annotations

import re
from typing import Any

from .jql import matches, parse_jql
from .routes import BASE, Answer, Call, _issue_type, error, route
from .state import BLOCKS_TYPE_ID, CATEGORIES, Issue, JiraState


def render(
    state: JiraState, issue: Issue, wanted: list[str], properties: list[str] | None = None
) -> dict[str, Any]:
    """An issue as search returns it, with only the fields asked for."""
    fields: dict[str, Any] = dict(issue.fields)
    category = CATEGORIES[issue.status]
    fields["issuetype"] = _issue_type(state, issue.type_id)
    if state.flavour.rich_text and isinstance(fields.get("description"), str):
        fields["description"] = _rendered(fields["description"])
    fields["status"] = {"id": "1", "name": category["name"], "statusCategory": category}
    fields["resolution"] = (
        {"id": "1", "name": issue.resolution, "self": f"{BASE}/rest/api/2/resolution/1"}
        if issue.status == "done"
        else None
    )
    fields["resolutiondate"] = (
        issue.resolution_date.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        if issue.resolution_date
        else None
    )
    estimate = (issue.fields.get("timetracking") or {}).get("originalEstimate")
    if estimate:
        h = re.search(r"(\d+)h", estimate)
        mins = re.search(r"(\d+)m", estimate)
        seconds = (int(h[1]) if h else 0) * 3600 + (int(mins[1]) if mins else 0) * 60
        fields["timetracking"] = {"originalEstimate": estimate, "originalEstimateSeconds": seconds}
    else:
        fields["timetracking"] = {}
    links = []
    for lk in state.links:
        ltype = {
            "id": BLOCKS_TYPE_ID,
            "name": state.flavour.link_type,
            "inward": "is blocked by",
            "outward": "blocks",
        }
        if lk.outward == issue.key:
            other = state.issues[lk.inward]
            links.append(
                {
                    "id": str(lk.id),
                    "type": ltype,
                    "outwardIssue": {"id": str(other.id), "key": other.key},
                }
            )
        elif lk.inward == issue.key:
            other = state.issues[lk.outward]
            links.append(
                {
                    "id": str(lk.id),
                    "type": ltype,
                    "inwardIssue": {"id": str(other.id), "key": other.key},
                }
            )
    fields["issuelinks"] = links
    if "parent" in fields and isinstance(fields["parent"], dict):
        parent = state.issues[fields["parent"]["key"]]
        fields["parent"] = {"id": str(parent.id), "key": parent.key}
    if "*all" not in wanted:
        fields = {k: v for k, v in fields.items() if k in wanted}
    out: dict[str, Any] = {
        "id": str(issue.id),
        "key": issue.key,
        "self": f"{BASE}/rest/api/2/issue/{issue.id}",
        "fields": fields,
    }
    if properties:
        out["properties"] = {k: issue.properties[k] for k in properties if k in issue.properties}
    return out


def _properties(call: Call) -> list[str]:
    return [p for value in call.query.get("properties", []) for p in value.split(",") if p]


def _rendered(text: str) -> str:
    """Rich text as Cloud reads it back: unneeded escapes dropped, blank lines collapsed,
    trailing spaces gone; every word kept."""
    text = re.sub(r"\\([-+])", r"\1", text)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _search(state: JiraState, call: Call) -> tuple[list[Issue], list[str], int]:
    jql = call.query.get("jql", [""])[0]
    query = parse_jql(jql)
    reconcile = {
        int(v) for value in call.query.get("reconcileIssues", []) for v in value.split(",") if v
    }
    found = [
        i
        for i in state.issues.values()
        if matches(query, state.project_key, i.fields.get("labels", []))
        and (i.visible_at <= state.clock or i.id in reconcile)
    ]
    found.sort(key=lambda i: i.id)
    wanted = ",".join(call.query.get("fields", ["*all"])).split(",")
    size = min(int(call.query.get("maxResults", ["50"])[0]), state.flavour.page_size)
    return found, wanted, size


@route("GET", "search/jql")
def search_jql(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if not state.flavour.cloud:
        return error(404, "no such resource: search/jql")
    found, wanted, size = _search(state, call)
    start = int(call.query.get("nextPageToken", ["0"])[0] or 0)
    page = found[start : start + size]
    body: dict[str, Any] = {
        "issues": [render(state, i, wanted, _properties(call)) for i in page],
        "isLast": start + size >= len(found),
    }
    if not body["isLast"]:
        body["nextPageToken"] = str(start + size)
    return 200, body


@route("GET", "search")
def search(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    if state.flavour.cloud:
        return error(
            410, "The requested API has been removed. Please migrate to /rest/api/3/search/jql."
        )
    found, wanted, size = _search(state, call)
    start = int(call.query.get("startAt", ["0"])[0])
    page = found[start : start + size]
    return 200, {
        "startAt": start,
        "maxResults": size,
        "total": len(found),
        "issues": [render(state, i, wanted, _properties(call)) for i in page],
    }


@route("GET", r"issue/(?P<key>[^/]+)")
def read_issue(state: JiraState, call: Call, m: re.Match[str]) -> Answer:
    issue = state.issues.get(m["key"])
    if issue is None:
        return error(404, "Issue does not exist or you do not have permission to see it.")
    wanted = ",".join(call.query.get("fields", ["*all"])).split(",")
    return 200, render(state, issue, wanted, _properties(call))
