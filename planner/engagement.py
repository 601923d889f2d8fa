"""The engagement: everything about one client, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from planner.catalog import EstimateRange

Status = Literal["done", "partial", "missing"]

PARTIAL_REMAINING = 0.5
"""The share of the work left of a ``partial`` capability when the answer gives none."""


@dataclass(frozen=True)
class CapabilityState:
    """What the assessment found for one capability."""

    status: Status
    remaining: float = 1.0
    """Share of the work still to do: 0 when done, 1 when missing, in between when partial."""
    evidence: str = ""

    @classmethod
    def answered(
        cls, status: Status, remaining: float | None = None, evidence: str = ""
    ) -> CapabilityState:
        """The one rule turning an assessment answer into a state: done leaves nothing,
        missing everything, partial its ``remaining`` share (half when not given)."""
        if status == "partial":
            share = PARTIAL_REMAINING if remaining is None else remaining
        else:
            share = 0.0 if status == "done" else 1.0
        return cls(status, share, evidence)

    @classmethod
    def done(cls, evidence: str = "") -> CapabilityState:
        return cls("done", 0.0, evidence)

    @classmethod
    def missing(cls, evidence: str = "") -> CapabilityState:
        return cls("missing", 1.0, evidence)


@dataclass(frozen=True)
class CurrentState:
    """Where the organisation stands: stated levels and/or per-capability answers."""

    level: int | None = None
    areas: Mapping[str, int] = field(default_factory=dict)
    capabilities: Mapping[str, CapabilityState] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """Where the organisation wants to be."""

    level: int | None = None
    areas: Mapping[str, int] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleStaffing:
    people: int
    day_rate: float = 0.0


@dataclass(frozen=True)
class TeamChange:
    """People joining (+) or leaving (-) a role from a date, until a date if given; or, with
    ``person`` (and ``role`` empty), a named person away (-1) or joining (+1)."""

    role: str
    change: int
    start: date
    end: date | None = None
    note: str = ""
    person: str | None = None


@dataclass(frozen=True)
class Person:
    """A named member of the team and the roles they can cover (one at a time).

    ``efficiency`` gives a role covered at less than full speed (0 < e < 1, e.g. a
    secondary skill); a role not in it is covered at 1. ``day_rate`` None: the covered
    role's rate."""

    name: str
    roles: tuple[str, ...]
    efficiency: Mapping[str, float] = field(default_factory=dict)
    day_rate: float | None = None

    def efficiency_in(self, role: str) -> float:
        return self.efficiency.get(role, 1.0)


@dataclass(frozen=True)
class Team:
    start: date
    roles: Mapping[str, RoleStaffing]
    sprint_weeks: int = 2
    focus_factor: float = 1.0
    currency: str = "EUR"
    changes: tuple[TeamChange, ...] = ()
    people: tuple[Person, ...] = ()
    """Named people next to the anonymous counts of ``roles``; each covers one of their
    roles at a time."""

    def rate(self, role: str, person: Person | None = None) -> float:
        """A day of ``role`` covered by ``person`` (their own rate, else the role's) or by
        an anonymous member of the role."""
        if person is not None and person.day_rate is not None:
            return person.day_rate
        staffing = self.roles.get(role)
        return staffing.day_rate if staffing else 0.0


@dataclass(frozen=True)
class CapabilityConstraint:
    not_before: date | None = None
    finish_by: date | None = None
    pin_start: date | None = None
    pin_option: int | None = None


@dataclass(frozen=True)
class Constraints:
    deadline: date | None = None
    budget: float | None = None
    capabilities: Mapping[str, CapabilityConstraint] = field(default_factory=dict)


@dataclass(frozen=True)
class JiraTarget:
    """Where the backlog goes (the ``jira:`` section, the old spelling of
    ``tracker: {kind: jira}``); never any secret."""

    url: str | None = None
    project: str | None = None
    roadmap_label: str | None = None
    epic_type: str | None = None
    story_type: str | None = None
    link_type: str | None = None


TrackerKind = Literal["jira", "azure-devops"]
TRACKER_KINDS: tuple[TrackerKind, ...] = ("jira", "azure-devops")


@dataclass(frozen=True)
class TrackerTarget:
    """Where the backlog goes, in whichever tracker (the ``tracker:`` section); never any
    secret. ``team`` is Azure DevOps' team whose sprints get the iterations."""

    kind: TrackerKind = "jira"
    url: str | None = None
    project: str | None = None
    roadmap_label: str | None = None
    team: str | None = None
    epic_type: str | None = None
    story_type: str | None = None
    link_type: str | None = None
    """Jira's names for the epic and story issue types and the dependency link type (None:
    found on the site)."""


@dataclass(frozen=True)
class CatalogChoice:
    """Which catalog: a built-in one by name or a file, plus overlays (paths)."""

    builtin: str | None = "mlops-maturity"
    file: str | None = None
    overlays: tuple[str, ...] = ()


@dataclass(frozen=True)
class Engagement:
    name: str
    team: Team
    current: CurrentState = field(default_factory=CurrentState)
    target: Target = field(default_factory=Target)
    constraints: Constraints = field(default_factory=Constraints)
    catalog: CatalogChoice = field(default_factory=CatalogChoice)
    jira: JiraTarget = field(default_factory=JiraTarget)
    client: str = ""
    tracker: TrackerTarget | None = None
    """The ``tracker:`` section; None: the ``jira:`` section says where (see
    :attr:`backlog_target`)."""
    source: str = field(default="engagement.yaml", compare=False)
    estimates: Mapping[str, tuple[EstimateRange, ...]] = field(default_factory=dict)
    """The engagement's own duration ranges, per capability and staffing option."""

    @property
    def backlog_target(self) -> TrackerTarget:
        """Where the backlog goes: the ``tracker:`` section, else the ``jira:`` section (its
        old spelling) as a Jira target."""
        if self.tracker is not None:
            return self.tracker
        jira = self.jira
        return TrackerTarget("jira", jira.url, jira.project, jira.roadmap_label)
