"""The one thing an adapter implements: :class:`TrackerGateway`.

See the package documentation (``integrations.tracker``) for what each method must do and
what the core does around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from integrations.tracker.model import (
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


class TrackerGateway(Protocol):
    """The few things the sync needs from a tracker, in our own types."""

    links_reversed: bool
    """False: :meth:`link` sends the blocker where the vendor documents the "from" end.
    True: the other way round. The core sets it after reading the first link back."""

    @property
    def site(self) -> Site: ...

    @property
    def bulk_limit(self) -> int: ...

    def writable(self, kind: ItemKind, edit: bool = False) -> frozenset[str]:
        """Our field names the site takes for ``kind`` when creating (or, with ``edit``,
        updating) one; the edit screen may be read lazily, after :meth:`find`."""
        ...

    @property
    def refused_fields(self) -> Mapping[str, str]:
        """Our field name -> why the site will not take it (naming the site's field)."""
        ...

    def browse_url(self, key: str) -> str: ...

    def wait(self, seconds: float) -> None:
        """Pause between look-ups after a lost answer (tests make it instant)."""
        ...

    def find(
        self, roadmap: str, identities: Sequence[str] = (), known: Sequence[str] = ()
    ) -> list[RemoteItem]:
        """Every item carrying the roadmap tag ``roadmap`` (and, if ``identities`` is not
        empty, one of those identity tags), all pages, with links and push records; plus
        the items keyed ``known`` (recorded at the last push) that a lagging search does
        not show yet, read so that they do show."""
        ...

    def recorded_keys(self, roadmap: str) -> Mapping[str, str]:
        """Identity tag -> tracker key of every item the pushes of ``roadmap`` created, as
        recorded by :meth:`record_keys`. A tracker whose search never lags may return {}."""
        ...

    def record_keys(self, roadmap: str, keys: Mapping[str, str]) -> None:
        """Add ``keys`` to the roadmap's record (a tracker whose search never lags may do
        nothing)."""
        ...

    def read_item(self, key: str) -> RemoteItem:
        """One item read directly (never through search, which may lag): the read-back."""
        ...

    def list_versions(self) -> list[RemoteVersion]: ...

    def create_version(
        self, name: str, release_date: date | None, description: str
    ) -> RemoteVersion: ...

    def update_version(
        self, version_id: str, release_date: date | None, description: str
    ) -> None: ...

    def create_items(self, items: Sequence[NewItem]) -> CreateOutcome:
        """Create at most :attr:`bulk_limit` items, each with its push record."""
        ...

    def update_item(
        self, key: str, changes: Mapping[str, FieldValue], record: PushRecord | None
    ) -> None:
        """Write ``changes`` (our field names; ``epic``: the tracker key of the new epic)
        and, when given, the item's new push record, in one write if the site allows."""
        ...

    def retag(self, key: str, add: Sequence[str], remove: Sequence[str] = ()) -> None: ...

    def add_comment(self, key: str, text: str) -> None: ...

    def link(self, blocker_key: str, blocked_key: str) -> None:
        """Make ``blocker_key`` block ``blocked_key``; repeating it must do no harm."""
        ...

    def unlink(self, link: RemoteLink) -> None: ...
