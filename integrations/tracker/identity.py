"""Which remote item is which backlog item: the one identity resolver, shared by the push
and by the progress read-back for re-planning.

An item belongs to a roadmap when it carries the roadmap tag. Within the roadmap it is the
backlog item whose identity tag it carries (``mlops-cap-<id>``, ``mlops-story-<id>``); when
a person removed that tag, the push record kept on the item still names the item (and the
push puts the tag back). When two items claim the same identity, the oldest (lowest key)
wins and the others are reported as duplicates, never used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from integrations.tracker.model import RemoteItem
from planner.backlog import (
    EPIC_LABEL_PREFIX,
    OBSOLETE_LABEL,
    STORY_LABEL_PREFIX,
    identity_label,
    label_safe,
)


def key_order(key: str) -> tuple[int, str]:
    """Oldest first: ``MLOPS-9`` before ``MLOPS-10``; numeric ids likewise."""
    return (len(key), key)


@dataclass(frozen=True)
class Identity:
    """One remote item as the roadmap knows it."""

    item: RemoteItem
    label: str
    """The identity tag it should carry."""
    restored: bool = False
    """True when the tag was missing and the item was recognised by its push record."""


@dataclass(frozen=True)
class Resolved:
    by_label: dict[str, Identity] = field(default_factory=dict)
    duplicates: tuple[tuple[RemoteItem, RemoteItem], ...] = ()
    """(duplicate, the item used instead)."""
    unknown: tuple[RemoteItem, ...] = ()
    """Items of the roadmap with no identity at all."""

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"{dup.key} and {kept.key} both carry {self.label_of(kept)}; using {kept.key}"
            for dup, kept in self.duplicates
        )

    def label_of(self, item: RemoteItem) -> str:
        for label, identity in self.by_label.items():
            if identity.item.key == item.key:
                return label
        return "?"

    def get(self, label: str) -> RemoteItem | None:
        found = self.by_label.get(label)
        return found.item if found is not None else None


def _record_label(item: RemoteItem, roadmap: str) -> str | None:
    record = item.record
    if record is None or label_safe(record.roadmap) != roadmap:
        return None
    if record.identity.startswith((EPIC_LABEL_PREFIX, STORY_LABEL_PREFIX)):
        return record.identity
    return None


def resolve(items: Iterable[RemoteItem], roadmap: str) -> Resolved:
    """Remote items of ``roadmap`` by identity tag (see the module documentation)."""
    scope = label_safe(roadmap)
    by_label: dict[str, Identity] = {}
    duplicates: list[tuple[RemoteItem, RemoteItem]] = []
    unknown: list[RemoteItem] = []
    for item in sorted(items, key=lambda i: key_order(i.key)):
        if scope not in item.labels:
            continue
        label = identity_label(item.labels)
        restored = False
        if label is None:
            label = _record_label(item, scope)
            restored = label is not None
        if label is None:
            unknown.append(item)
            continue
        if label in by_label:
            duplicates.append((item, by_label[label].item))
            continue
        by_label[label] = Identity(item, label, restored)
    return Resolved(by_label, tuple(duplicates), tuple(unknown))


def is_obsolete(item: RemoteItem) -> bool:
    return OBSOLETE_LABEL in item.labels
