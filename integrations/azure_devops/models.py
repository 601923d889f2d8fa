"""Our own view of Azure DevOps Boards: plain dataclasses, nothing from the wire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

StateCategory = Literal["Proposed", "InProgress", "Resolved", "Completed", "Removed"]
ItemKind = Literal["epic", "story"]
FieldName = Literal[
    "title", "description", "tags", "start_date", "target_date", "effort", "iteration"
]
FieldValue = str | tuple[str, ...] | date | float | None

HIERARCHY_FORWARD = "System.LinkTypes.Hierarchy-Forward"
"""On a parent: the child end."""
HIERARCHY_REVERSE = "System.LinkTypes.Hierarchy-Reverse"
"""On a child: the parent end."""
DEPENDENCY_FORWARD = "System.LinkTypes.Dependency-Forward"
DEPENDENCY_REVERSE = "System.LinkTypes.Dependency-Reverse"


@dataclass(frozen=True)
class Relation:
    rel: str
    """Relation type reference name, e.g. ``System.LinkTypes.Dependency-Reverse``."""
    target: int
    """Work item id at the other end."""


@dataclass(frozen=True)
class RemoteWorkItem:
    id: int
    rev: int
    type: str
    title: str
    tags: tuple[str, ...]
    state: str
    state_category: StateCategory
    description: str = ""
    start_date: date | None = None
    target_date: date | None = None
    effort: float | None = None
    iteration: str = ""
    """``System.IterationPath``, e.g. ``MLOps\\Sprint 3``."""
    created_by: str = ""
    closed_date: datetime | None = None
    """When it reached its Completed (or Removed) state: Closed Date, else State Change Date."""
    relations: tuple[Relation, ...] = ()

    @property
    def parent(self) -> int | None:
        return next((r.target for r in self.relations if r.rel == HIERARCHY_REVERSE), None)

    def value(self, name: str) -> FieldValue:
        """The value of one of our fields (see :data:`FieldName`)."""
        values: dict[str, FieldValue] = {
            "title": self.title,
            "description": self.description,
            "tags": self.tags,
            "start_date": self.start_date,
            "target_date": self.target_date,
            "effort": self.effort,
            "iteration": self.iteration,
        }
        return values[name]


@dataclass(frozen=True)
class Iteration:
    identifier: str
    name: str
    path: str
    """As ``System.IterationPath`` takes it: ``MLOps\\Sprint 3``."""
    start: date | None
    finish: date | None


@dataclass(frozen=True)
class FieldRevision:
    """One revision's change of one field: who made it and the value it left."""

    rev: int
    revised_by: str
    field: str
    """Reference name."""
    new_value: Any


@dataclass(frozen=True)
class ItemType:
    """A work item type as the project defines it: its states and the fields we use."""

    name: str
    states: Mapping[str, StateCategory]
    fields: frozenset[str]
    """Reference names of the type's fields."""
    effort_field: str | None = None
    """Effort, Story Points, Size or Original Estimate: the first the type has."""

    @property
    def first_state(self) -> str:
        return next(iter(self.states))


@dataclass(frozen=True)
class Project:
    """What connecting learned about the project."""

    id: str
    name: str
    process: str
    team: str
    epic: ItemType
    requirement: ItemType
    relation_names: Mapping[str, str] = field(default_factory=dict)
    """Relation type reference name -> the name the organization shows."""

    def type_of(self, kind: ItemKind) -> ItemType:
        return self.epic if kind == "epic" else self.requirement


PatchOperation = Mapping[str, Any]
