"""Jira JSON to our dataclasses, and our field values to Jira JSON. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from integrations.tracker.model import (
    FieldValue,
    PushRecord,
    RemoteItem,
    RemoteLink,
    RemoteVersion,
)
from planner.backlog import Resolution, StatusCategory

ISSUE_PROPERTY = "mlops-planner.pushed"
"""The issue entity property holding the push record (not searchable: never looked up by)."""

_CATEGORIES: dict[str, StatusCategory] = {
    "done": "done",
    "indeterminate": "in-progress",
    "new": "to-do",
    "undefined": "to-do",
}


@dataclass(frozen=True)
class FieldIds:
    """Where our data lives in this Jira (custom field ids are discovered, never assumed)."""

    deployment: str
    blocks_link_type: str
    epic_link: str | None = None
    epic_name: str | None = None
    start_date: str | None = None

    def search_fields(self) -> list[str]:
        names = [
            "summary",
            "description",
            "labels",
            "status",
            "resolutiondate",
            "duedate",
            "timetracking",
            "fixVersions",
            "issuetype",
            "issuelinks",
            "parent",
            "resolution",
        ]
        names += [f for f in (self.epic_link, self.start_date) if f]
        return names


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # +0000 -> +00:00
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _name(value: Any) -> str:
    return str(value.get("name", "")) if isinstance(value, dict) else ""


# Resolutions that close work without doing it; any other resolution counts as achieved.
DROPPED_RESOLUTIONS = frozenset(
    ["won't do", "won't fix", "duplicate", "cannot reproduce", "declined", "obsolete",
     "abandoned", "rejected", "not a bug", "incomplete", "won’t do", "won’t fix"]
)  # fmt: skip


def resolution_of(raw: Any, category: StatusCategory) -> Resolution | None:
    if category != "done":
        return None
    name = _name(raw).strip().lower()
    return "dropped" if name in DROPPED_RESOLUTIONS else "achieved"


def record_from_json(raw: Any) -> PushRecord | None:
    if not isinstance(raw, dict):
        return None
    identity, roadmap, fields = raw.get("identity"), raw.get("roadmap"), raw.get("fields")
    if not isinstance(identity, str) or not isinstance(roadmap, str):
        return None
    prints = {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    return PushRecord(identity=identity, roadmap=roadmap, fields=prints)


def record_to_json(record: PushRecord) -> dict[str, Any]:
    return {"identity": record.identity, "roadmap": record.roadmap, "fields": dict(record.fields)}


def issue_from_json(raw: Mapping[str, Any], ids: FieldIds) -> RemoteItem:
    fields: Mapping[str, Any] = raw.get("fields") or {}
    status = fields.get("status") or {}
    category_key = str((status.get("statusCategory") or {}).get("key", "new"))
    tracking = fields.get("timetracking") or {}
    seconds = tracking.get("originalEstimateSeconds")
    if seconds is None:
        seconds = fields.get("timeoriginalestimate")
    epic_key: str | None = None
    parent = fields.get("parent")
    if isinstance(parent, dict) and parent.get("key"):
        epic_key = str(parent["key"])
    if ids.epic_link and isinstance(fields.get(ids.epic_link), str):
        epic_key = fields[ids.epic_link]
    key = str(raw["key"])
    links: list[RemoteLink] = []
    for link in fields.get("issuelinks") or ():
        if _name(link.get("type")) != ids.blocks_link_type:
            continue
        # Read side, Atlassian's issue-link model: on this issue, an outward issue is one
        # this issue blocks ("blocks"), an inward one blocks this issue ("is blocked by").
        link_id = str(link.get("id", ""))
        if isinstance(link.get("outwardIssue"), dict):
            other = str(link["outwardIssue"]["key"])
            links.append(RemoteLink(blocker=key, blocked=other, id=link_id))
        elif isinstance(link.get("inwardIssue"), dict):
            other = str(link["inwardIssue"]["key"])
            links.append(RemoteLink(blocker=other, blocked=key, id=link_id))
    description = fields.get("description")
    category = _CATEGORIES.get(category_key, "to-do")
    properties = raw.get("properties") or {}
    return RemoteItem(
        key=key,
        id=str(raw.get("id", "")),
        issue_type=_name(fields.get("issuetype")),
        summary=str(fields.get("summary") or ""),
        labels=tuple(str(label) for label in fields.get("labels") or ()),
        status_category=category,
        resolution_date=parse_datetime(fields.get("resolutiondate")),
        resolution=resolution_of(fields.get("resolution"), category),
        description=description if isinstance(description, str) else "",
        due_date=parse_date(fields.get("duedate")),
        start_date=parse_date(fields.get(ids.start_date)) if ids.start_date else None,
        estimate_hours=None if seconds is None else int(seconds) / 3600,
        fix_versions=tuple(_name(v) for v in fields.get("fixVersions") or ()),
        epic_key=epic_key,
        links=tuple(links),
        record=record_from_json(properties.get(ISSUE_PROPERTY)),
    )


def version_from_json(raw: Mapping[str, Any]) -> RemoteVersion:
    return RemoteVersion(
        id=str(raw["id"]),
        name=str(raw.get("name", "")),
        release_date=parse_date(raw.get("releaseDate")),
        description=str(raw.get("description") or ""),
    )


def estimate_text(hours: float) -> str:
    """Hours as a Jira duration in whole minutes, e.g. ``12h 30m``."""
    minutes = round(hours * 60)
    h, m = divmod(minutes, 60)
    return f"{h}h {m}m" if m else f"{h}h"


def jira_fields(
    values: Mapping[str, FieldValue], ids: FieldIds, version_ids: Mapping[str, str]
) -> dict[str, Any]:
    """Our field values as the ``fields`` object of a create or edit request."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "summary":
            out["summary"] = value
        elif name == "description":
            out["description"] = value or None
        elif name == "labels":
            out["labels"] = list(value) if isinstance(value, tuple) else []
        elif name == "due_date":
            out["duedate"] = value.isoformat() if isinstance(value, date) else None
        elif name == "start_date" and ids.start_date:
            out[ids.start_date] = value.isoformat() if isinstance(value, date) else None
        elif name == "estimate_hours":
            estimate = estimate_text(value) if isinstance(value, float | int) else None
            out["timetracking"] = {"originalEstimate": estimate} if estimate else {}
        elif name == "fix_versions":
            names = value if isinstance(value, tuple) else ()
            out["fixVersions"] = [{"id": version_ids[n]} for n in names if n in version_ids]
    return out
