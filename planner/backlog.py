"""Backlog items: the plan as a tracker sees it (epics, stories, versions, links).

Pure data, no I/O. A tracker integration finds what it already created by labels, so the
labels every item carries are defined here, in one place:

- every issue: the roadmap label (two roadmaps can share a project);
- an epic: ``mlops-cap-<epic key>``;
- a story: ``mlops-story-<story key>`` (``experiment-tracking/pick-a-tool`` becomes
  ``mlops-story-experiment-tracking-pick-a-tool``); the story key comes from the catalog's
  stable story id, so inserting a story renames no other;
- an issue that left the plan: ``mlops-obsolete`` (it is never deleted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from planner.errors import Problem

EPIC_LABEL_PREFIX = "mlops-cap-"
STORY_LABEL_PREFIX = "mlops-story-"
OBSOLETE_LABEL = "mlops-obsolete"
MAX_LABEL_LENGTH = 255

StatusCategory = Literal["done", "in-progress", "to-do"]
Resolution = Literal["achieved", "dropped"]
"""How finished work ended: done as asked, or closed without doing it (Won't Do,
Duplicate, Removed...)."""

_UNSAFE = re.compile(r"[^a-z0-9_.-]+")


@dataclass(frozen=True)
class StoryItem:
    key: str
    """Stable item key: ``<capability id>/<story id>``, e.g. ``experiment-tracking/pick-a-tool``
    (``<capability id>/<n>`` for a story the catalog gives no id)."""
    summary: str
    description: str
    """Already rendered text (Jira wiki markup for API v2)."""
    labels: tuple[str, ...] = ()
    former_key: str | None = None
    """The key by position this story had before stories had ids (``<capability>/<n>``): an
    item pushed under it is taken over and relabelled, not duplicated."""
    fix_version: str | None = None
    """Name of a :class:`VersionItem` the story goes in, for trackers that place stories
    in one (Boards: its epic's sprint, so that it follows the epic when a re-plan moves
    it); None: the story is in no version of its own."""


@dataclass(frozen=True)
class EpicItem:
    key: str
    """Stable item key: the capability id, e.g. ``experiment-tracking``."""
    summary: str
    description: str
    labels: tuple[str, ...]
    due_date: date | None
    estimate_hours: float | None
    """Original estimate."""
    fix_version: str | None
    """Name of a :class:`VersionItem`."""
    start_date: date | None = None
    stories: tuple[StoryItem, ...] = ()


@dataclass(frozen=True)
class VersionItem:
    name: str
    release_date: date | None
    description: str = ""


@dataclass(frozen=True)
class LinkItem:
    blocker: str
    """Epic key that must finish first."""
    blocked: str
    """Epic key that depends on it."""


@dataclass(frozen=True)
class Backlog:
    roadmap: str
    """Roadmap label, e.g. ``acme-mlops-roadmap``."""
    epics: tuple[EpicItem, ...]
    versions: tuple[VersionItem, ...]
    links: tuple[LinkItem, ...]

    def stories(self) -> Iterator[tuple[EpicItem, StoryItem]]:
        """Every story with its epic, in backlog order."""
        for epic in self.epics:
            for story in epic.stories:
                yield epic, story


def label_safe(text: str) -> str:
    """``text`` as a Jira label: lower case, no spaces, only ``a-z 0-9 _ . -``.

    >>> label_safe("experiment-tracking/1")
    'experiment-tracking-1'
    >>> label_safe("MLOps Level 2")
    'mlops-level-2'
    """
    return _UNSAFE.sub("-", text.strip().lower()).strip("-")


def epic_label(epic_key: str) -> str:
    """The label that identifies the epic of capability ``epic_key``."""
    return EPIC_LABEL_PREFIX + label_safe(epic_key)


def story_label(story_key: str) -> str:
    """The label that identifies story ``story_key`` (e.g. ``experiment-tracking/1``)."""
    return STORY_LABEL_PREFIX + label_safe(story_key)


def epic_labels(roadmap: str, epic: EpicItem) -> tuple[str, ...]:
    """All labels of an epic, sorted: roadmap, identity label, the item's own labels."""
    own = (label_safe(label) for label in epic.labels)
    return tuple(sorted({label_safe(roadmap), epic_label(epic.key), *own}))


def story_labels(roadmap: str, story: StoryItem) -> tuple[str, ...]:
    """All labels of a story, sorted: roadmap, identity label, the item's own labels."""
    own = (label_safe(label) for label in story.labels)
    return tuple(sorted({label_safe(roadmap), story_label(story.key), *own}))


def identity_label(labels: tuple[str, ...] | list[str]) -> str | None:
    """The identity label (epic or story) among ``labels``, if any."""
    for label in labels:
        if label.startswith((EPIC_LABEL_PREFIX, STORY_LABEL_PREFIX)):
            return label
    return None


def check_backlog(backlog: Backlog, source: str = "backlog") -> list[Problem]:
    """Every problem that would stop the backlog from being pushed, all at once."""
    problems: list[Problem] = []

    def problem(location: str, message: str) -> None:
        problems.append(Problem(source, location, message))

    if not label_safe(backlog.roadmap):
        problem("roadmap", f"cannot be used as a label, got {backlog.roadmap!r}")
    versions = {v.name for v in backlog.versions}
    if len(versions) != len(backlog.versions):
        problem("versions", "version names must be unique")
    seen: dict[str, str] = {}
    for epic in backlog.epics:
        where = f"epics.{epic.key}"
        for label, item in [(epic_label(epic.key), epic.key)] + [
            (story_label(s.key), s.key) for s in epic.stories
        ]:
            if label in seen:
                problem(where, f"{item!r} and {seen[label]!r} give the same label {label!r}")
            elif len(label) > MAX_LABEL_LENGTH:
                problem(where, f"key {item!r} is too long for a label")
            seen[label] = item
        if epic.fix_version is not None and epic.fix_version not in versions:
            problem(f"{where}.fix_version", f"no version named {epic.fix_version!r}")
        for story in epic.stories:
            if story.fix_version is not None and story.fix_version not in versions:
                problem(
                    f"{where}.{story.key}.fix_version", f"no version named {story.fix_version!r}"
                )
        if epic.estimate_hours is not None and epic.estimate_hours < 0:
            problem(f"{where}.estimate_hours", "must be >= 0")
    keys = {e.key for e in backlog.epics}
    for n, link in enumerate(backlog.links):
        for end in (link.blocker, link.blocked):
            if end not in keys:
                problem(f"links[{n}]", f"no epic {end!r}")
        if link.blocker == link.blocked:
            problem(f"links[{n}]", f"{link.blocker!r} cannot block itself")
    return problems


@dataclass(frozen=True)
class EpicProgress:
    """One epic as a tracker shows it, read back for re-planning."""

    status_category: StatusCategory
    resolution_date: datetime | None
    stories_done: int
    stories_total: int
    resolution: Resolution | None = None
