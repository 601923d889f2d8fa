"""Our own view of a tracker: plain dataclasses, whatever the tracker.

Nothing here knows Jira or Azure DevOps; an adapter converts what its site returns into
these at its boundary, and the core (change set, sync loop, progress) works only with these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from planner.backlog import Resolution, StatusCategory

ItemKind = Literal["epic", "story"]

# Our names for the fields we write; each adapter maps them to its tracker's.
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
OWNED_FIELDS: tuple[str, ...] = (
    "summary",
    "description",
    "due_date",
    "start_date",
    "estimate_hours",
    "fix_versions",
)
"""The fields whose value the tool owns (labels are only ever added to)."""


@dataclass(frozen=True)
class RemoteLink:
    """A dependency link as the site shows it: ``blocker`` must finish before ``blocked``
    (item keys of the tracker, e.g. ``MLOPS-7``). ``id`` is the site's id of the link."""

    blocker: str
    blocked: str
    id: str = ""


@dataclass(frozen=True)
class PushRecord:
    """What the tool last pushed to one item, kept on the item itself (Jira: an entity
    property; an adapter stores it where its tracker allows) and read back with it.

    ``identity`` is the item's identity tag (``mlops-cap-<id>``), so that the item is
    recognised when a person removed the tag; ``fields`` maps our field names to a
    fingerprint of the value last written (see ``integrations.tracker.ownership``).
    """

    identity: str
    roadmap: str
    fields: Mapping[str, str] = field(default_factory=dict)
    stale: bool = False
    """Read from an older form of the record (one that covered fewer fields): the next
    push writes it anew, even when no field changes."""


@dataclass(frozen=True)
class RemoteItem:
    key: str
    id: str
    issue_type: str
    summary: str
    labels: tuple[str, ...]
    status_category: StatusCategory = "to-do"
    resolution_date: datetime | None = None
    resolution: Resolution | None = None
    """None unless done; ``dropped`` when closed as Won't Do, Duplicate and the like."""
    description: str = ""
    due_date: date | None = None
    start_date: date | None = None
    estimate_hours: float | None = None
    fix_versions: tuple[str, ...] = ()
    """Version names."""
    epic_key: str | None = None
    """The epic this item belongs to (Jira: ``parent`` or Epic Link)."""
    links: tuple[RemoteLink, ...] = ()
    record: PushRecord | None = None


@dataclass(frozen=True)
class RemoteVersion:
    id: str
    name: str
    release_date: date | None = None
    description: str = ""


@dataclass(frozen=True)
class RemoteState:
    """What exists in the tracker for one roadmap. Empty when there is no connection."""

    items: tuple[RemoteItem, ...] = ()
    versions: tuple[RemoteVersion, ...] = ()
    writable: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {"epic": ALL_FIELDS, "story": ALL_FIELDS}
    )
    """Item kind -> our field names the site takes when creating one; the others are
    neither sent nor compared."""


@dataclass(frozen=True)
class NewItem:
    """An item to create. ``epic_key`` is the tracker's key of the story's epic."""

    kind: ItemKind
    fields: Mapping[str, FieldValue]
    epic_key: str | None = None
    record: PushRecord | None = None


@dataclass(frozen=True)
class CreatedItem:
    key: str
    id: str


@dataclass(frozen=True)
class CreateOutcome:
    """What one bulk call created; ``failed`` maps input positions to the site's reason."""

    created: Mapping[int, CreatedItem]
    failed: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """Where a push goes, for messages and the dry run: ``Jira Cloud``, its URL, the project."""

    tracker: str
    url: str
    project: str

    def __str__(self) -> str:
        return f"{self.tracker} at {self.url}, project {self.project}"


class LostResponse(Exception):
    """A write whose answer never came: it may or may not have happened. Look before redoing."""
