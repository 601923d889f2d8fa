"""What the stand-in Jira holds: one project, its issues, versions and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

EPIC_TYPE_ID = "10000"
STORY_TYPE_ID = "10001"
TASK_TYPE_ID = "10002"
BLOCKS_TYPE_ID = "10000"

CATEGORIES = {
    "to-do": {"id": 2, "key": "new", "name": "To Do", "colorName": "blue-gray"},
    "in-progress": {"id": 4, "key": "indeterminate", "name": "In Progress", "colorName": "yellow"},
    "done": {"id": 3, "key": "done", "name": "Done", "colorName": "green"},
}


@dataclass(frozen=True)
class Flavour:
    """Cloud or Server/Data Center, how the project is set up, and the switches for what
    is uncertain or varies between sites (the code must be right under every one):

    - ``link_direction``: ``documented`` - in ``POST /issueLink`` the outward issue is the
      "from" issue (it blocks), as Atlassian's reference says; ``reversed`` - the inward
      issue blocks, as the ``jira`` package and several integrations have it. Reading links
      back (``issuelinks``) follows Atlassian's issue-link model either way.
    - ``search_lag``: a created issue shows in search only after this many more requests
      (Cloud's ``/search/jql`` is eventually consistent); ``reconcileIssues`` and
      ``GET /issue/{key}`` always see it.
    - ``rich_text``: descriptions read back differently from what was written (Cloud stores
      rich text in its document format: escapes that are not needed are dropped, blank lines
      collapsed, trailing spaces removed), every word kept.
    - ``team_managed``: a team-managed (next-gen) project: hierarchy by ``parent`` only, no
      Epic Name or Epic Link fields, the "Start date" date picker instead of Advanced
      Roadmaps' "Target start".
    - ``epic_type``, ``story_type``, ``link_type``: the names of the issue and link types
      (renamed on some sites, e.g. "Feature", "User Story", "Dependency").
    - ``separate_screens``: stories have their own create screen (without Description) and
      the edit screen differs from the create screen (without Time tracking).
    - ``echo_authorization``: a proxy in front of Jira that echoes the request's
      Authorization header in the text of every error it returns.
    """

    deployment: str = "Cloud"
    epic_name_required: bool = False
    # Custom field ids differ between sites; the client must discover them.
    epic_link_id: str | None = None
    epic_name_id: str | None = None
    start_date_id: str | None = "customfield_10015"
    """The "Start date" date picker."""
    target_start_id: str | None = "customfield_10022"
    """Advanced Roadmaps' "Target start" (``jpo-custom-field-baseline-start``)."""
    epic_screen: tuple[str, ...] = (
        "summary",
        "description",
        "labels",
        "duedate",
        "timetracking",
        "fixVersions",
        "issuetype",
        "project",
    )
    page_size: int = 50
    link_direction: str = "documented"
    search_lag: int = 0
    rich_text: bool = False
    team_managed: bool = False
    epic_type: str = "Epic"
    story_type: str = "Story"
    link_type: str = "Blocks"
    separate_screens: bool = False
    echo_authorization: bool = False

    @property
    def cloud(self) -> bool:
        return self.deployment == "Cloud"


def odd(flavour: Flavour, **more: Any) -> Flavour:
    """``flavour`` with every switch away from the documented default that it can take."""
    from dataclasses import replace

    switches: dict[str, Any] = dict(
        link_direction="reversed",
        search_lag=4,
        epic_type="Feature",
        story_type="User Story",
        link_type="Dependency",
        separate_screens=True,
    )
    if flavour.cloud:
        switches.update(
            rich_text=True,
            team_managed=True,
            epic_name_required=False,
            epic_name_id=None,
            epic_link_id=None,
            start_date_id="customfield_10500",
            target_start_id=None,
        )
    else:
        switches.update(target_start_id="customfield_12400")
    switches.update(more)
    return replace(flavour, **switches)


CLOUD = Flavour()
SERVER = Flavour(
    deployment="Server",
    epic_name_required=True,
    epic_link_id="customfield_12311",
    epic_name_id="customfield_12312",
    start_date_id=None,
    target_start_id=None,
)


@dataclass
class Issue:
    id: int
    key: str
    type_id: str
    fields: dict[str, Any]
    status: str = "to-do"
    resolution_date: datetime | None = None
    resolution: str = "Done"
    """The resolution's name once done (``Won't Do``, ``Duplicate``...)."""
    comments: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    """Issue entity properties, by key."""
    visible_at: int = 0
    """The request number from which search shows the issue (``search_lag``)."""


@dataclass
class Link:
    id: int
    outward: str
    """Issue key of the "from" issue (it blocks)."""
    inward: str
    """Issue key of the issue that is blocked."""


@dataclass
class JiraState:
    flavour: Flavour = CLOUD
    project_key: str = "MLOPS"
    project_id: str = "10100"
    user: str = "bot@example.com"
    token: str = "stand-in-token"
    can_create: bool = True
    issues: dict[str, Issue] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    project_properties: dict[str, Any] = field(default_factory=dict)
    clock: int = 0
    """Requests answered so far (the adapter counts them)."""
    next_id: int = 10001
    next_number: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def set_status(
        self,
        key: str,
        category: str,
        resolution_date: datetime | None = None,
        resolution: str = "Done",
    ) -> None:
        """Test hook: put an issue in a status category (``to-do``, ``in-progress``, ``done``),
        with a resolution when done."""
        issue = self.issues[key]
        issue.status = category
        issue.resolution_date = resolution_date
        issue.resolution = resolution

    def catch_up(self) -> None:
        """Test hook: the search index catches up with every write so far."""
        for issue in self.issues.values():
            issue.visible_at = 0

    def type_names(self) -> dict[str, str]:
        f = self.flavour
        return {EPIC_TYPE_ID: f.epic_type, STORY_TYPE_ID: f.story_type, TASK_TYPE_ID: "Task"}

    def by_label(self, label: str) -> list[Issue]:
        return [i for i in self.issues.values() if label in i.fields.get("labels", [])]

    def epic_of(self, issue: Issue) -> str | None:
        if self.flavour.epic_link_id:
            value = issue.fields.get(self.flavour.epic_link_id)
            return value if isinstance(value, str) else None
        parent = issue.fields.get("parent")
        return str(parent["key"]) if isinstance(parent, dict) else None

    def fields_catalogue(self) -> list[dict[str, Any]]:
        def system(fid: str, name: str, kind: str) -> dict[str, Any]:
            return {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": False,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [fid],
                "schema": {"type": kind, "system": fid},
            }

        def custom(fid: str, name: str, kind: str, plugin: str) -> dict[str, Any]:
            number = int(fid.split("_")[1])
            return {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{number}]", name],
                "schema": {"type": kind, "custom": plugin, "customId": number},
            }

        out = [
            system("summary", "Summary", "string"),
            system("description", "Description", "string"),
            system("labels", "Labels", "array"),
            system("duedate", "Due date", "date"),
            system("timetracking", "Time tracking", "timetracking"),
            system("fixVersions", "Fix versions", "array"),
            system("issuetype", "Issue Type", "issuetype"),
            system("project", "Project", "project"),
            system("parent", "Parent", "issuelink"),
            system("issuelinks", "Linked Issues", "array"),
            system("status", "Status", "status"),
            system("resolutiondate", "Resolved", "datetime"),
            custom("customfield_10020", "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
        ]
        f = self.flavour
        if f.epic_link_id:
            out.append(
                custom(
                    f.epic_link_id, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"
                )
            )
        if f.epic_name_id:
            out.append(
                custom(
                    f.epic_name_id,
                    "Epic Name",
                    "string",
                    "com.pyxis.greenhopper.jira:gh-epic-label",
                )
            )
        if f.start_date_id:
            out.append(
                custom(
                    f.start_date_id,
                    "Start date",
                    "date",
                    "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
                )
            )
        if f.target_start_id:
            out.append(
                custom(
                    f.target_start_id,
                    "Target start",
                    "date",
                    "com.atlassian.jpo:jpo-custom-field-baseline-start",
                )
            )
        return out

    def edit_screen(self, type_id: str) -> dict[str, bool]:
        """Field id -> required, on the edit screen of an issue type."""
        screen = {**self.screen(type_id), "parent": False}
        if self.flavour.separate_screens:
            screen.pop("timetracking", None)
        return screen

    def screen(self, type_id: str) -> dict[str, bool]:
        """Field id -> required, on the create screen of an issue type."""
        f = self.flavour
        base = {
            "summary": True,
            "issuetype": True,
            "project": True,
            "description": False,
            "labels": False,
        }
        if type_id == EPIC_TYPE_ID:
            screen = {fid: base.get(fid, False) for fid in f.epic_screen}
            if f.epic_name_id:
                screen[f.epic_name_id] = f.epic_name_required
            for fid in (f.start_date_id, f.target_start_id):
                if fid:
                    screen[fid] = False
            return screen
        screen = dict(base)
        if f.separate_screens:
            del screen["description"]
        if f.epic_link_id:
            screen[f.epic_link_id] = False
        else:
            screen["parent"] = False
        return screen
