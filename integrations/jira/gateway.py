"""The Jira adapter's gateway: :class:`~integrations.tracker.TrackerGateway` over REST.

:func:`~integrations.jira.connect.connect` opens it; the project, its issue types, its fields
and the link type are checked here, and :class:`JiraClientGateway` speaks only our
dataclasses. It only translates: which issue is which item, what to write and in what order
is decided in ``integrations.tracker``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from integrations.jira._convert import (
    ISSUE_PROPERTY,
    FieldIds,
    issue_from_json,
    jira_fields,
    record_to_json,
    version_from_json,
)
from integrations.jira._http import JiraHttp, understood
from integrations.jira._record import changed_parts, entries, pack, part_key, parts_count
from integrations.jira.settings import JiraSettings
from integrations.tracker.model import (
    CreatedItem,
    CreateOutcome,
    FieldValue,
    ItemKind,
    NewItem,
    PushRecord,
    RemoteItem,
    RemoteLink,
    RemoteVersion,
    Site,
)
from planner.backlog import label_safe
from planner.errors import TrackerError

BULK_LIMIT = 50
PAGE_SIZE = 100
ROADMAP_PROPERTY = "mlops-planner.roadmap."
"""Project entity property (one per roadmap, split into numbered parts past Jira's limit on
one value: see ``_record``) recording the keys the pushes created."""
_CUSTOM_FIELD_TYPES = {
    "com.pyxis.greenhopper.jira:gh-epic-link": "Epic Link",
    "com.pyxis.greenhopper.jira:gh-epic-label": "Epic Name",
    "com.atlassian.jpo:jpo-custom-field-baseline-start": "Target start",
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


def _checked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: JiraClientGateway, *args: Any, **kwargs: Any) -> Any:
        with understood(self._settings.base_url, method.__name__.strip("_").replace("_", " ")):
            return method(self, *args, **kwargs)

    return wrapper


class JiraClientGateway:
    """The :class:`~integrations.tracker.TrackerGateway` for Jira Cloud and Server/DC."""

    def __init__(self, http: JiraHttp, settings: JiraSettings, cloud: bool) -> None:
        self._http = http
        self._settings = settings
        self._cloud = cloud
        self.links_reversed = False
        self._ids_by_key: dict[str, str] = {}
        self._recorded: dict[str, str] = {}
        self._parts: list[Any] = []
        """The record's parts as last read or written (see ``_record``)."""
        self._version_ids: dict[str, str] = {}
        self._known: dict[ItemKind, str] = {}
        """A key of each kind seen in the last search, to read its edit screen."""
        self._edit: dict[ItemKind, frozenset[str]] = {}
        self._refused: dict[str, str] = {}
        key = settings.project_key
        project = http.request("GET", f"project/{key}", action=f"open project {key}")
        types = project.get("issueTypes") or ()
        self._project_id = str(project["id"])
        self._type_names: dict[ItemKind, str] = {
            "epic": self._issue_type(types, "epic", settings.epic_type, "Epic"),
            "story": self._issue_type(types, "story", settings.story_type, "Story"),
        }
        self._type_ids: dict[ItemKind, str] = {
            kind: next(str(t["id"]) for t in types if t.get("name") == name)
            for kind, name in self._type_names.items()
        }
        by_name: dict[str, str] = {}
        by_plugin: dict[str, str] = {}
        for field in http.request("GET", "field", action="read the list of fields"):
            name, fid = str(field.get("name", "")), str(field["id"])
            schema = field.get("schema") or {}
            if name == "Start date" and schema.get("type") == "date":
                by_name.setdefault("Start date", fid)
            else:
                by_name.setdefault(name, fid)
            http.field_names[fid] = name
            # The plugin's key identifies the field whatever the site's language calls it.
            plugin = str(schema.get("custom", ""))
            if plugin in _CUSTOM_FIELD_TYPES:
                by_plugin[_CUSTOM_FIELD_TYPES[plugin]] = fid
        kinds: tuple[ItemKind, ...] = ("epic", "story")
        self._screens = {kind: self._screen(kind) for kind in kinds}
        epic_screen = self._screens["epic"]
        # "Start date" (a date picker) is preferred; Advanced Roadmaps' "Target start" else.
        start = next(
            (
                f
                for f in (by_name.get("Start date"), by_plugin.get("Target start"))
                if f in epic_screen
            ),
            None,
        )
        epic_name = by_plugin.get("Epic Name") or by_name.get("Epic Name")
        link_type = self._link_type(http)
        self._ids = FieldIds(
            deployment="cloud" if cloud else "server",
            blocks_link_type=link_type,
            epic_link=(by_plugin.get("Epic Link") or by_name.get("Epic Link"))
            if not cloud
            else None,
            epic_name=epic_name if epic_name in epic_screen else None,
            start_date=start,
        )
        self._epic_name_required = bool(self._ids.epic_name and epic_screen[self._ids.epic_name])
        self._writable = {
            kind: self._fields_on(kind, self._screens[kind]) for kind in self._screens
        }
        for name, theirs in _SCREEN_FIELDS.items():
            if name not in self._writable["epic"]:
                self._refused[name] = (
                    f"{http.field_names.get(theirs, theirs)} is not on the create screen of "
                    f"{self._type_names['epic']} in {key}"
                )
        if start is None:
            self._refused["start_date"] = (
                f"no Start date (or Target start) field on the create screen of "
                f"{self._type_names['epic']} in {key}"
            )
        if "description" not in self._writable["story"]:
            self._refused["story description"] = (
                f"Description is not on the create screen of {self._type_names['story']} in {key}"
            )

    def _issue_type(
        self, types: Sequence[Mapping[str, Any]], kind: str, named: str | None, default: str
    ) -> str:
        names = [str(t.get("name")) for t in types if not t.get("subtask")]
        if named is not None:
            if named in names:
                return named
        elif default in names:
            return default
        elif kind == "epic" and self._cloud:
            # Cloud: the epic level of the hierarchy is level 1, whatever the type is called.
            level_one = [str(t["name"]) for t in types if t.get("hierarchyLevel") == 1]
            if len(level_one) == 1:
                return level_one[0]
        wanted = named or default
        return self._fail_name(
            f"project {self.project_key} has no issue type {wanted!r} (it has: "
            f"{', '.join(sorted(names)) or 'none'}); set tracker.{kind}_type in the "
            f"engagement file or pass --{kind}-type with the name your project uses"
        )

    def _link_type(self, http: JiraHttp) -> str:
        raw = http.request("GET", "issueLinkType", action="read the issue link types")
        kinds = raw.get("issueLinkTypes") or ()
        names = [str(t.get("name")) for t in kinds]
        named = self._settings.link_type
        if named is not None and named in names:
            return named
        if named is None:
            if "Blocks" in names:
                return "Blocks"
            # Renamed on this site: the type whose outward description is "blocks".
            blocking = [str(t["name"]) for t in kinds if str(t.get("outward")).lower() == "blocks"]
            if len(blocking) == 1:
                return blocking[0]
        return self._fail_name(
            f"Jira has no issue link type {named or 'Blocks'!r} (it has: "
            f"{', '.join(sorted(names)) or 'none'}); set tracker.link_type in the engagement "
            "file or pass --link-type with the name of the type whose links read 'blocks'"
        )

    @staticmethod
    def _fail_name(message: str) -> str:
        raise TrackerError(message)

    def _fields_on(self, kind: ItemKind, screen: Mapping[str, bool]) -> frozenset[str]:
        ours = {name for name, theirs in _SCREEN_FIELDS.items() if theirs in screen}
        if kind == "story":
            ours &= {"summary", "description", "labels"}
        elif self._ids.start_date in screen:
            ours.add("start_date")
        return frozenset(ours | {"summary", "labels"})

    def _screen(self, kind: ItemKind) -> dict[str, bool]:
        """Field id -> required, for the create screen of the ``kind`` issue type."""
        key, type_id = self._settings.project_key, self._type_ids[kind]
        screen: dict[str, bool] = {}
        start = 0
        while True:
            page = self._http.request(
                "GET",
                f"issue/createmeta/{key}/issuetypes/{type_id}",
                params={"startAt": start, "maxResults": 100},
                action=f"read the create screen of {self._type_names[kind]} in {key}",
            )
            values = page.get("fields") or page.get("values") or page.get("results") or []
            for field in values:
                screen[str(field["fieldId"])] = bool(field.get("required"))
            start += len(values)
            if not values or start >= int(page.get("total", start)):
                return screen

    def writable(self, kind: ItemKind, edit: bool = False) -> frozenset[str]:
        if not edit:
            return self._writable[kind]
        if kind not in self._edit:
            self._edit[kind] = self._edit_screen(kind)
        return self._edit[kind]

    def _edit_screen(self, kind: ItemKind) -> frozenset[str]:
        """Our fields on the edit screen of ``kind``, read from an issue of that kind."""
        key = self._known.get(kind)
        if key is None:
            return self._writable[kind]
        raw = self._http.request(
            "GET", f"issue/{key}/editmeta", action=f"read the edit screen of issue {key}"
        )
        screen = {str(fid): True for fid in (raw.get("fields") or {})}
        editable = self._fields_on(kind, screen) & self._writable[kind]
        for name in sorted(self._writable[kind] - editable):
            theirs = self._ids.start_date if name == "start_date" else _SCREEN_FIELDS[name]
            label = self._http.field_names.get(str(theirs), str(theirs))
            self._refused[f"{kind} {name.replace('_', ' ')}"] = (
                f"{label} is not on the edit screen of {self._type_names[kind]} in "
                f"{self.project_key}: changes to it are not written"
            )
        return editable

    # The protocol --------------------------------------------------------------------

    @property
    def site(self) -> Site:
        name = "Jira Cloud" if self._cloud else "Jira Server/Data Center"
        return Site(name, self._settings.base_url, self._settings.project_key)

    @property
    def deployment(self) -> str:
        return "cloud" if self._cloud else "server"

    @property
    def project_key(self) -> str:
        return self._settings.project_key

    @property
    def bulk_limit(self) -> int:
        return BULK_LIMIT

    @property
    def refused_fields(self) -> Mapping[str, str]:
        return dict(self._refused)

    def browse_url(self, key: str) -> str:
        return f"{self._settings.base_url}/browse/{key}"

    def wait(self, seconds: float) -> None:
        self._http.sleep(seconds)

    @_checked
    def find(
        self, roadmap: str, identities: Sequence[str] = (), known: Sequence[str] = ()
    ) -> list[RemoteItem]:
        jql = f'project = "{self.project_key}" AND labels = "{label_safe(roadmap)}"'
        if identities:
            jql += " AND labels in (" + ", ".join(f'"{label}"' for label in identities) + ")"
        found = self._search(jql + " ORDER BY key ASC")
        for item in found:
            for kind, name in self._type_names.items():
                if item.issue_type == name:
                    self._known.setdefault(kind, item.key)
        seen = {item.key for item in found}
        missing = [key for key in known if key not in seen]
        if missing:
            wanted = {label_safe(roadmap)}
            found += [
                item
                for item in self._reconcile(jql, missing)
                if wanted <= set(item.labels)
                and (not identities or set(identities) & set(item.labels))
            ]
        return found

    def _reconcile(self, jql: str, keys: Sequence[str]) -> list[RemoteItem]:
        """Items recorded at the last push that the search did not show (yet)."""
        ids = [self._ids_by_key[key] for key in keys if key in self._ids_by_key]
        out: list[RemoteItem] = []
        if self._cloud and ids:
            # Cloud's search is eventually consistent; reconcileIssues makes it read these.
            for start in range(0, len(ids), PAGE_SIZE):
                out += self._search(
                    jql + " ORDER BY key ASC", reconcile=ids[start : start + PAGE_SIZE]
                )
            shown = {item.key for item in out}
            keys = [key for key in keys if key not in shown]
        for key in keys:
            item = self._read(key, accept_missing=True)
            if item is not None:
                out.append(item)
        return out

    def _search(self, jql: str, reconcile: Sequence[str] = ()) -> list[RemoteItem]:
        """Every issue matching ``jql``, all pages."""
        fields = ",".join(self._ids.search_fields())
        action = f"search issues in {self.project_key}"
        found: list[RemoteItem] = []
        if self._cloud:
            token: str | None = None
            while True:
                params: dict[str, Any] = {
                    "jql": jql,
                    "maxResults": PAGE_SIZE,
                    "fields": fields,
                    "properties": ISSUE_PROPERTY,
                }
                if token:
                    params["nextPageToken"] = token
                if reconcile:
                    params["reconcileIssues"] = ",".join(reconcile)
                page = self._http.request("GET", "search/jql", params=params, action=action)
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
                "fields": fields,
                "properties": ISSUE_PROPERTY,
            }
            page = self._http.request("GET", "search", params=params, action=action)
            issues = page.get("issues") or []
            found += [issue_from_json(raw, self._ids) for raw in issues]
            start += len(issues)
            if not issues or start >= int(page.get("total", 0)):
                return found

    def _read(self, key: str, accept_missing: bool = False) -> RemoteItem | None:
        raw = self._http.request(
            "GET",
            f"issue/{key}",
            params={"fields": ",".join(self._ids.search_fields()), "properties": ISSUE_PROPERTY},
            action=f"read issue {key}",
            accept=(404,) if accept_missing else (),
        )
        if not isinstance(raw, dict) or "key" not in raw:
            return None
        return issue_from_json(raw, self._ids)

    @_checked
    def read_item(self, key: str) -> RemoteItem:
        item = self._read(key)
        assert item is not None
        return item

    @_checked
    def recorded_keys(self, roadmap: str) -> Mapping[str, str]:
        base = ROADMAP_PROPERTY + label_safe(roadmap)
        first = self._read_property(base)
        parts = [first] + [
            self._read_property(part_key(base, n)) for n in range(2, parts_count(first) + 1)
        ]
        self._parts = parts
        self._recorded = {}
        keys: dict[str, str] = {}
        for part in parts:
            for label, ref in entries(part).items():
                key, _, issue_id = ref.partition("/")
                self._recorded[label] = ref
                keys[label] = key
                if issue_id:
                    self._ids_by_key[key] = issue_id
        return keys

    def _read_property(self, name: str) -> Any:
        raw = self._http.request(
            "GET",
            f"project/{self.project_key}/properties/{name}",
            action=f"read what earlier pushes created in {self.project_key}",
            accept=(404,),
        )
        return raw.get("value") if isinstance(raw, dict) else None

    def record_keys(self, roadmap: str, keys: Mapping[str, str]) -> None:
        """Add ``keys`` to the record, split over as many properties as Jira's limit on
        one value needs (see ``_record``); only the parts that changed are written."""
        recorded = dict(self._recorded)
        for label, key in keys.items():
            recorded[label] = f"{key}/{self._ids_by_key.get(key, '')}"
        parts = pack(recorded)
        base = ROADMAP_PROPERTY + label_safe(roadmap)
        for number in changed_parts(self._parts, parts):
            self._http.request(
                "PUT",
                f"project/{self.project_key}/properties/{part_key(base, number)}",
                body=parts[number - 1],
                action=f"record the issues this push created in {self.project_key}",
            )
        self._recorded = recorded
        self._parts = parts

    @_checked
    def list_versions(self) -> list[RemoteVersion]:
        raw = self._http.request(
            "GET",
            f"project/{self.project_key}/versions",
            action=f"read the versions of {self.project_key}",
        )
        versions = [version_from_json(v) for v in raw]
        self._version_ids.update({v.name: v.id for v in versions})
        return versions

    @_checked
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

    @_checked
    def create_items(self, items: Sequence[NewItem]) -> CreateOutcome:
        """Create up to 50 issues in one bulk call, each with its push record."""
        if len(items) > BULK_LIMIT:
            raise ValueError(f"at most {BULK_LIMIT} issues per bulk call")
        updates = []
        for item in items:
            update: dict[str, Any] = {"fields": self._create_fields(item)}
            if item.record is not None:
                record = record_to_json(item.record)
                update["properties"] = [{"key": ISSUE_PROPERTY, "value": record}]
            updates.append(update)
        raw = self._http.request(
            "POST",
            "issue/bulk",
            body={"issueUpdates": updates},
            action=f"create issues in {self.project_key}",
            accept=(400,),
        )
        failed: dict[int, str] = {}
        if not raw.get("issues") and not raw.get("errors"):
            said = "; ".join(str(m) for m in raw.get("errorMessages") or ()) or "no reason given"
            raise TrackerError(
                f"Jira refused the whole request to create {len(items)} issue(s) in "
                f"{self.project_key} ({self._http.scrub(said)}); nothing of it was created"
            )
        for error in raw.get("errors") or ():
            detail = (error.get("elementErrors") or {}).get("errors") or {}
            text = self._http.describe_fields({str(k): str(v) for k, v in detail.items()})
            failed[int(error.get("failedElementNumber", 0))] = text or "refused"
        created: dict[int, CreatedItem] = {}
        done = iter(raw.get("issues") or ())
        for position in range(len(items)):
            if position not in failed:
                made = next(done, None)
                if made is not None:
                    created[position] = CreatedItem(key=str(made["key"]), id=str(made["id"]))
                    self._ids_by_key[str(made["key"])] = str(made["id"])
        return CreateOutcome(created=created, failed=failed)

    def _create_fields(self, item: NewItem) -> dict[str, Any]:
        writable = self._writable[item.kind]
        values = {k: v for k, v in item.fields.items() if k in writable}
        fields = jira_fields(values, self._ids, self._version_ids)
        fields = {k: v for k, v in fields.items() if v not in (None, {}, [])}
        fields["project"] = {"id": self._project_id}
        fields["issuetype"] = {"id": self._type_ids[item.kind]}
        if item.kind == "epic" and self._epic_name_required and self._ids.epic_name:
            fields[self._ids.epic_name] = str(item.fields.get("summary", ""))[:255]
        if item.epic_key:
            if self._ids.epic_link:
                fields[self._ids.epic_link] = item.epic_key
            else:
                fields["parent"] = {"key": item.epic_key}
        return fields

    def update_item(
        self, key: str, changes: Mapping[str, FieldValue], record: PushRecord | None
    ) -> None:
        values = dict(changes)
        epic = values.pop("epic", None)
        fields = jira_fields(values, self._ids, self._version_ids)
        if isinstance(epic, str):
            if self._ids.epic_link:
                fields[self._ids.epic_link] = epic
            else:
                fields["parent"] = {"key": epic}
        body: dict[str, Any] = {}
        if fields:
            body["fields"] = fields
        if record is not None:
            body["properties"] = [{"key": ISSUE_PROPERTY, "value": record_to_json(record)}]
        if body:
            self._http.request("PUT", f"issue/{key}", body=body, action=f"edit issue {key}")

    def retag(self, key: str, add: Sequence[str], remove: Sequence[str] = ()) -> None:
        ops = [{"add": label} for label in add] + [{"remove": label} for label in remove]
        body = {"update": {"labels": ops}}
        self._http.request("PUT", f"issue/{key}", body=body, action=f"edit issue {key}")

    def add_comment(self, key: str, text: str) -> None:
        self._http.request(
            "POST",
            f"issue/{key}/comment",
            body={"body": text},
            action=f"comment on issue {key}",
            idempotent=False,
        )

    def link(self, blocker_key: str, blocked_key: str) -> None:
        # Atlassian's reference calls the outward issue the "from" issue (it blocks); the
        # jira package and several integrations say the opposite. Which one this site
        # follows is read back on the first link of a push (see integrations.tracker.sync),
        # which sets links_reversed. Repeating a link is harmless.
        outward, inward = (
            (blocked_key, blocker_key) if self.links_reversed else (blocker_key, blocked_key)
        )
        body = {
            "type": {"name": self._ids.blocks_link_type},
            "inwardIssue": {"key": inward},
            "outwardIssue": {"key": outward},
        }
        self._http.request(
            "POST",
            "issueLink",
            body=body,
            action=f"link issues in {self.project_key}",
            idempotent=True,
        )

    def unlink(self, link: RemoteLink) -> None:
        self._http.request(
            "DELETE",
            f"issueLink/{link.id}",
            action=f"remove a link in {self.project_key}",
            accept=(404,),  # already gone: what was wanted
        )
