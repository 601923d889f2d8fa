"""Our own view of Jira: plain dataclasses and the gateway protocol.

Nothing here imports the ``jira`` package; the gateway converts what it returns into these
at the boundary, and the sync works only with these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

Deployment = Literal["cloud", "server"]
StatusCategory = Literal["done", "in-progress", "to-do"]
IssueKind = Literal["epic", "story"]

# Our names for the fields we write; the gateway maps them to Jira's.
FieldName = Literal[
    "summary",
    "description",
    "labels",
    "due_date",
    "start_date",
    "estimate_hours",
    "fix_versions",
]
FieldValue = str | tuple[str, ...] | date | float | None
ALL_FIELDS: frozenset[str] = frozenset(
    ["summary", "description", "labels", "due_date", "start_date", "estimate_hours", "fix_versions"]
)


@dataclass(frozen=True)
class RemoteLink:
    """A "Blocks" link as seen from either end: ``blocker`` blocks ``blocked`` (issue keys)."""

    blocker: str
    blocked: str


@dataclass(frozen=True)
class RemoteIssue:
    key: str
    id: str
    issue_type: str
    summary: str
    labels: tuple[str, ...]
    status_category: StatusCategory = "to-do"
    resolution_date: datetime | None = None
    description: str = ""
    due_date: date | None = None
    start_date: date | None = None
    estimate_hours: float | None = None
    fix_versions: tuple[str, ...] = ()
    """Version names."""
    epic_key: str | None = None
    """The epic this issue belongs to (``parent`` on Cloud, Epic Link on Server/DC)."""
    links: tuple[RemoteLink, ...] = ()


@dataclass(frozen=True)
class RemoteVersion:
    id: str
    name: str
    release_date: date | None = None
    description: str = ""


@dataclass(frozen=True)
class RemoteState:
    """What exists in Jira for one roadmap. Empty when there is no connection."""

    issues: tuple[RemoteIssue, ...] = ()
    versions: tuple[RemoteVersion, ...] = ()
    writable_fields: frozenset[str] = ALL_FIELDS
    """Our field names the project's screens take; the others are neither sent nor compared."""


@dataclass(frozen=True)
class NewIssue:
    """An issue to create. ``epic_key`` is the Jira key of the story's epic."""

    kind: IssueKind
    fields: Mapping[str, FieldValue]
    epic_key: str | None = None


@dataclass(frozen=True)
class CreatedIssue:
    key: str
    id: str


@dataclass(frozen=True)
class CreateOutcome:
    """What one bulk call created; ``failed`` maps input positions to Jira's reason."""

    created: Mapping[int, CreatedIssue]
    failed: Mapping[int, str] = field(default_factory=dict)


class LostResponse(Exception):
    """A write whose answer never came: it may or may not have happened. Look before redoing."""


class JiraGateway(Protocol):
    """The few things the sync needs from Jira, in our own types."""

    @property
    def deployment(self) -> Deployment: ...

    @property
    def project_key(self) -> str: ...

    @property
    def writable_fields(self) -> frozenset[str]: ...

    def browse_url(self, key: str) -> str: ...

    def search(self, jql: str) -> list[RemoteIssue]: ...

    def list_versions(self) -> list[RemoteVersion]: ...

    def create_version(
        self, name: str, release_date: date | None, description: str
    ) -> RemoteVersion: ...

    def update_version(
        self, version_id: str, release_date: date | None, description: str
    ) -> None: ...

    def create_issues(self, issues: Sequence[NewIssue]) -> CreateOutcome: ...

    def update_issue(self, key: str, changes: Mapping[str, FieldValue]) -> None: ...

    def add_labels(self, key: str, labels: Sequence[str]) -> None: ...

    def add_comment(self, key: str, text: str) -> None: ...

    def link_blocks(self, blocker_key: str, blocked_key: str) -> None: ...
