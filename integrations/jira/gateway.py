"""The one place that builds a ``jira`` client, and the typed gateway over it.

:func:`connect` detects Cloud or Server/Data Center from ``serverInfo``, authenticates the
right way for it (Cloud: email + API token, basic auth; Server/DC: personal access token,
bearer), checks the project, its issue types, its fields and the link type, and returns a
:class:`JiraClientGateway` that speaks only our dataclasses.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any

import requests

from integrations.jira._convert import (
    FieldIds,
    issue_from_json,
    jira_fields,
    version_from_json,
)
from integrations.jira._http import JiraHttp, RetryPolicy, Sleep
from integrations.jira.models import (
    CreatedIssue,
    CreateOutcome,
    Deployment,
    FieldValue,
    NewIssue,
    RemoteIssue,
    RemoteVersion,
)
from integrations.jira.settings import Credentials, JiraSettings
from planner.errors import InputError, Problem, TrackerError

BULK_LIMIT = 50
PAGE_SIZE = 100
_CUSTOM_FIELD_TYPES = {
    "com.pyxis.greenhopper.jira:gh-epic-link": "Epic Link",
    "com.pyxis.greenhopper.jira:gh-epic-label": "Epic Name",
    "com.atlassian.jpo:jpo-custom-field-baseline-start": "Start date",
}
# Jira's field for each of ours that sits on a create screen.
_SCREEN_FIELDS = {
    "summary": "summary",
    "description": "description",
    "labels": "labels",
    "due_date": "duedate",
    "estimate_hours": "timetracking",
    "fix_versions": "fixVersions",
}


def connect(
    settings: JiraSettings,
    credentials: Credentials,
    *,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> JiraClientGateway:
    """Connect to the project in ``settings``; fail early, in the user's words.

    ``session``: its mounted transport adapters and its ``trust_env`` are used for every
    request (tests mount their stand-in Jira there). ``sleep`` is what waiting between
    retries calls.
    """
    from jira import JIRA  # imported here so that the CLI starts fast

    policy = retry or RetryPolicy()
    url = settings.base_url
    options: dict[str, Any] = {"server": url, "check_update": False}

    def client(**auth: Any) -> Any:
        built = JIRA(
            options=dict(options), get_server_info=False, max_retries=0, timeout=timeout, **auth
        )
        if session is not None:
            built._session.trust_env = session.trust_env
            for prefix, adapter in session.adapters.items():
                built._session.mount(prefix, adapter)
        return built

    try:
        return _open(client, settings, credentials, sleep, policy)
    except TrackerError as exc:
        raise TrackerError(f"{exc.message}\nNothing was changed in Jira.") from None


def _open(
    client: Any, settings: JiraSettings, credentials: Credentials, sleep: Sleep, policy: RetryPolicy
) -> JiraClientGateway:
    url = settings.base_url
    probe = JiraHttp(client(), url, sleep=sleep, policy=policy)
    info = probe.request(
        "GET", "serverInfo", action="read the server information", accept=(401, 403)
    )
    if not isinstance(info, dict) or "deploymentType" not in info:
        # serverInfo is closed to anonymous callers here: guess from the host name.
        cloud = url.split("/")[2].endswith(".atlassian.net")
    else:
        cloud = info["deploymentType"] == "Cloud"
    deployment: Deployment = "cloud" if cloud else "server"
    if cloud:
        if not credentials.user:
            raise InputError(
                [
                    Problem(
                        credentials.source,
                        "JIRA_USER",
                        "is missing: Jira Cloud needs the account's email",
                    )
                ]
            )
        jira = client(basic_auth=(credentials.user, credentials.token))
    else:
        jira = client(token_auth=credentials.token)
    jira.deploymentType = "Cloud" if cloud else "Server"
    http = JiraHttp(jira, url, sleep=sleep, policy=policy)
    http.request("GET", "myself", action=f"sign in to Jira at {url}")
    return JiraClientGateway(jira, http, settings, deployment)


class JiraClientGateway:
    """The :class:`~integrations.jira.models.JiraGateway` over the ``jira`` package."""

    def __init__(
        self, jira: Any, http: JiraHttp, settings: JiraSettings, deployment: Deployment
    ) -> None:
        self._jira = jira
        self._http = http
        self._settings = settings
        self._deployment: Deployment = deployment
        key = settings.project_key
        project = http.request("GET", f"project/{key}", action=f"open project {key}")
        self._project_id = str(project["id"])
        types = {str(t["name"]): str(t["id"]) for t in project.get("issueTypes") or ()}
        for wanted in (settings.epic_type, settings.story_type):
            if wanted not in types:
                known = ", ".join(sorted(types)) or "none"
                raise TrackerError(
                    f"project {key} has no issue type {wanted!r} (it has: {known}); "
                    "name the right one in the Jira settings"
                )
        self._type_ids = {"epic": types[settings.epic_type], "story": types[settings.story_type]}
        by_name: dict[str, str] = {}
        for field in http.request("GET", "field", action="read the list of fields"):
            by_name.setdefault(str(field.get("name", "")), str(field["id"]))
            http.field_names[str(field["id"])] = str(field.get("name", ""))
            # The plugin's key identifies the field whatever the site's language calls it.
            plugin = str((field.get("schema") or {}).get("custom", ""))
            if plugin in _CUSTOM_FIELD_TYPES:
                by_name[_CUSTOM_FIELD_TYPES[plugin]] = str(field["id"])
        epic_screen = self._screen("epic")
        self._ids = FieldIds(
            deployment=deployment,
            blocks_link_type=settings.blocks_link_type,
            epic_link=by_name.get("Epic Link") if deployment == "server" else None,
            epic_name=by_name.get("Epic Name") if by_name.get("Epic Name") in epic_screen else None,
            start_date=by_name.get("Start date")
            if by_name.get("Start date") in epic_screen
            else None,
        )
        self._epic_name_required = bool(self._ids.epic_name and epic_screen[self._ids.epic_name])
        writable = {ours for ours, theirs in _SCREEN_FIELDS.items() if theirs in epic_screen}
        if self._ids.start_date:
            writable.add("start_date")
        self._writable = frozenset(writable)
        link_types = http.request("GET", "issueLinkType", action="read the issue link types")
        names = [str(t.get("name")) for t in link_types.get("issueLinkTypes") or ()]
        if settings.blocks_link_type not in names:
            raise TrackerError(
                f"Jira has no issue link type {settings.blocks_link_type!r} (it has: "
                f"{', '.join(sorted(names)) or 'none'}); name the right one in the Jira settings"
            )
        self._version_ids: dict[str, str] = {}

    def _screen(self, kind: str) -> dict[str, bool]:
        """Field id -> required, for the create screen of the ``kind`` issue type."""
        key, type_id = self._settings.project_key, self._type_ids[kind]
        screen: dict[str, bool] = {}
        start = 0
        while True:
            page = self._http.request(
                "GET",
                f"issue/createmeta/{key}/issuetypes/{type_id}",
                params={"startAt": start, "maxResults": 100},
                action=f"read the create screen of {kind}s in {key}",
            )
            values = page.get("fields") or page.get("values") or page.get("results") or []
            for field in values:
                screen[str(field["fieldId"])] = bool(field.get("required"))
            start += len(values)
            if not values or start >= int(page.get("total", start)):
                return screen

    @property
    def deployment(self) -> Deployment:
        return self._deployment

    @property
    def project_key(self) -> str:
        return self._settings.project_key

    @property
    def writable_fields(self) -> frozenset[str]:
        return self._writable

    def browse_url(self, key: str) -> str:
        return f"{self._settings.base_url}/browse/{key}"

    def search(self, jql: str) -> list[RemoteIssue]:
        """Every issue matching ``jql``, all pages."""
        fields = self._ids.search_fields()
        action = f"search issues in {self.project_key}"
        found: list[RemoteIssue] = []
        if self._deployment == "cloud":
            token: str | None = None
            while True:
                page = self._http.run(
                    partial(
                        self._jira.enhanced_search_issues,
                        jql,
                        nextPageToken=token,
                        maxResults=PAGE_SIZE,
                        fields=",".join(fields),
                        json_result=True,
                    ),
                    action=action,
                    idempotent=True,
                )
                found += [issue_from_json(raw, self._ids) for raw in page.get("issues") or ()]
                token = page.get("nextPageToken")
                if not token or page.get("isLast"):
                    return found
        start = 0
        while True:
            params = {
                "jql": jql,
                "startAt": start,
                "maxResults": PAGE_SIZE,
                "fields": ",".join(fields),
            }
            page = self._http.request("GET", "search", params=params, action=action)
            issues = page.get("issues") or []
            found += [issue_from_json(raw, self._ids) for raw in issues]
            start += len(issues)
            if not issues or start >= int(page.get("total", 0)):
                return found

    def list_versions(self) -> list[RemoteVersion]:
        raw = self._http.request(
            "GET",
            f"project/{self.project_key}/versions",
            action=f"read the versions of {self.project_key}",
        )
        versions = [version_from_json(v) for v in raw]
        self._version_ids.update({v.name: v.id for v in versions})
        return versions

    def create_version(
        self, name: str, release_date: date | None, description: str
    ) -> RemoteVersion:
        body: dict[str, Any] = {
            "name": name,
            "projectId": int(self._project_id),
            "description": description,
        }
        if release_date:
            body["releaseDate"] = release_date.isoformat()
        raw = self._http.request(
            "POST", "version", body=body, action=f"create versions in {self.project_key}"
        )
        version = version_from_json(raw)
        self._version_ids[version.name] = version.id
        return version

    def update_version(self, version_id: str, release_date: date | None, description: str) -> None:
        body = {
            "releaseDate": release_date.isoformat() if release_date else None,
            "description": description,
        }
        self._http.request(
            "PUT",
            f"version/{version_id}",
            body=body,
            action=f"update versions in {self.project_key}",
        )

    def create_issues(self, issues: Sequence[NewIssue]) -> CreateOutcome:
        """Create up to 50 issues in one bulk call."""
        if len(issues) > BULK_LIMIT:
            raise ValueError(f"at most {BULK_LIMIT} issues per bulk call")
        updates = [{"fields": self._create_fields(issue)} for issue in issues]
        raw = self._http.request(
            "POST",
            "issue/bulk",
            body={"issueUpdates": updates},
            action=f"create issues in {self.project_key}",
            accept=(400,),
        )
        failed: dict[int, str] = {}
        for error in raw.get("errors") or ():
            detail = (error.get("elementErrors") or {}).get("errors") or {}
            text = self._http.describe_fields({str(k): str(v) for k, v in detail.items()})
            failed[int(error.get("failedElementNumber", 0))] = text or "refused"
        created: dict[int, CreatedIssue] = {}
        done = iter(raw.get("issues") or ())
        for position in range(len(issues)):
            if position not in failed:
                item = next(done, None)
                if item is not None:
                    created[position] = CreatedIssue(key=str(item["key"]), id=str(item["id"]))
        return CreateOutcome(created=created, failed=failed)

    def _create_fields(self, issue: NewIssue) -> dict[str, Any]:
        values = {
            k: v
            for k, v in issue.fields.items()
            if k in self._writable or k in ("summary", "labels")
        }
        fields = jira_fields(values, self._ids, self._version_ids)
        fields = {k: v for k, v in fields.items() if v not in (None, {}, [])}
        fields["project"] = {"id": self._project_id}
        fields["issuetype"] = {"id": self._type_ids[issue.kind]}
        if issue.kind == "epic" and self._epic_name_required and self._ids.epic_name:
            fields[self._ids.epic_name] = str(issue.fields.get("summary", ""))[:255]
        if issue.epic_key:
            if self._ids.epic_link:
                fields[self._ids.epic_link] = issue.epic_key
            else:
                fields["parent"] = {"key": issue.epic_key}
        return fields

    def update_issue(self, key: str, changes: Mapping[str, FieldValue]) -> None:
        values = dict(changes)
        epic = values.pop("epic", None)
        fields = jira_fields(values, self._ids, self._version_ids)
        if isinstance(epic, str):
            if self._ids.epic_link:
                fields[self._ids.epic_link] = epic
            else:
                fields["parent"] = {"key": epic}
        if fields:
            self._http.request(
                "PUT", f"issue/{key}", body={"fields": fields}, action=f"edit issue {key}"
            )

    def add_labels(self, key: str, labels: Sequence[str]) -> None:
        body = {"update": {"labels": [{"add": label} for label in labels]}}
        self._http.request("PUT", f"issue/{key}", body=body, action=f"edit issue {key}")

    def add_comment(self, key: str, text: str) -> None:
        self._http.request(
            "POST",
            f"issue/{key}/comment",
            body={"body": text},
            action=f"comment on issue {key}",
            idempotent=False,
        )

    def link_blocks(self, blocker_key: str, blocked_key: str) -> None:
        # Jira's "from" (outward) issue blocks the inward one; repeating a link is harmless.
        # Sent directly: the package's create_issue_link() re-reads every link type first.
        body = {
            "type": {"name": self._settings.blocks_link_type},
            "inwardIssue": {"key": blocked_key},
            "outwardIssue": {"key": blocker_key},
        }
        self._http.request(
            "POST",
            "issueLink",
            body=body,
            action=f"link issues in {self.project_key}",
            idempotent=True,
        )
