"""The plan: when each capability is built, by whom, in which milestone, and why.

Plain data, written to and read from the versioned plan file (JSON) by
:mod:`planner.files.plan_file`; reports, the tracker sync and re-planning read it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from planner.reasons import StartReason

PLAN_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PlannedStory:
    """A story of a capability: it becomes a child issue of the capability's epic."""

    title: str
    description: str = ""
    id: str | None = None
    """The catalog's stable story id (None: known by its position)."""


@dataclass(frozen=True)
class DurationRange:
    """Working days on the calendar an item may take (focus factor and remaining share
    applied, before rounding up to whole days): the three points of its estimate."""

    optimistic: float
    likely: float
    pessimistic: float


@dataclass(frozen=True)
class CapacityStep:
    """From working day ``day`` on, ``people`` of a role are available to the roadmap."""

    day: int
    people: int


@dataclass(frozen=True)
class PlannedItem:
    """One capability in the plan."""

    id: str
    title: str
    area: str
    level: int
    status: str
    """Its state at planning time: missing or partial."""
    remaining: float
    start: date
    end: date
    """The last working day of the work."""
    start_day: int
    """Working days from the plan's start (day 0); ``end_day`` is exclusive."""
    end_day: int
    option: int
    """The staffing option chosen, numbered from 1 as in the catalog."""
    people: Mapping[str, int]
    weeks: float
    """Calendar weeks of work (focus factor applied)."""
    person_days: float
    cost: float
    sprint_start: int
    sprint_end: int
    milestone: str | None
    """The first milestone (overall level) that needs it."""
    why: tuple[str, ...]
    """Why it is in the plan: the level or the dependants that need it."""
    why_then: str
    """Why it starts when it does and not earlier: ``start_reason`` in words."""
    waits_for: tuple[str, ...] = ()
    slack_days: int = 0
    critical: bool = False
    requires: tuple[str, ...] = ()
    deliverables: tuple[str, ...] = ()
    success_criteria: tuple[str, ...] = ()
    description: str = ""
    stories: tuple[PlannedStory, ...] = ()
    state: str = "planned"
    """``planned``; ``in-progress`` at a re-plan (started before the re-plan date, continues
    from it with its remaining share and its staffing); ``done`` (history: dates of the
    previous plan, not scheduled again)."""
    started: date | None = None
    """When the work first started, for an item in progress at a re-plan."""
    start_reason: StartReason | None = None
    """Why it starts when it does, as data (kind and arguments); ``why_then`` says it."""
    duration_range: DurationRange | None = None
    """The range of the chosen staffing option, for forecasts (None: taken as exact)."""
    lags: Mapping[str, int] = field(default_factory=dict)
    """Prerequisite id -> working days that must pass after it before this item starts."""
    earliest_day: int = 0
    """The first working day it may start (not_before or a pinned start)."""
    assignees: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Role -> the named people covering it (the rest of ``people`` are the role's
    anonymous people)."""
    efficiency: float = 1.0
    """The lowest efficiency of those covering it (its duration is stretched by 1/this)."""

    @property
    def demands(self) -> dict[str, int]:
        """What it holds: each role's anonymous people, and each named person (by name, 1)."""
        held = {
            role: count - len(self.assignees.get(role, ()))
            for role, count in sorted(self.people.items())
        }
        held = {role: n for role, n in held.items() if n}
        for names in self.assignees.values():
            held.update(dict.fromkeys(names, 1))
        return held

    def crew(self, roles: Mapping[str, str] | None = None) -> str:
        """Who works on it, in words: per role (in the option's order), the named people
        covering it with the role, then how many anonymous people of the role."""
        titles = roles or {}
        parts: list[str] = []
        for role, count in self.people.items():
            if not count:
                continue
            names = self.assignees.get(role, ())
            title = titles.get(role, role)
            parts += [f"{name} ({title})" for name in names]
            if count > len(names):
                parts.append(f"{count - len(names)} {title}")
        return ", ".join(parts)


@dataclass(frozen=True)
class PlannedMilestone:
    """The date a maturity level is reached (overall when ``area`` is None)."""

    id: str
    title: str
    level: int
    area: str | None
    date: _dt.date
    day: int
    capabilities: tuple[str, ...]
    deadline: _dt.date | None = None


@dataclass(frozen=True)
class SolverReport:
    status: str
    """optimal (proven), feasible (time ran out; see gap), unproven (time ran out before the
    solver's first plan: the checked greedy plan, nothing proven), infeasible or unknown."""
    objective: Mapping[str, int]
    bound: int | None
    gap_percent: float | None
    time_limit: float
    workers: int


@dataclass(frozen=True)
class SprintLoad:
    """Work in one sprint: people busy per role against people available."""

    sprint: int
    start: date
    busy: Mapping[str, float]
    available: Mapping[str, float]
    capabilities: tuple[str, ...]


@dataclass(frozen=True)
class AssessedCapability:
    """One capability's answer in the assessment, as the current-state chapter shows it."""

    id: str
    title: str
    level: int
    status: str
    """done, partial or missing."""
    remaining: float
    """Share of the work still to do (0 when done, 1 when missing)."""
    evidence: str = ""
    answered: bool = True
    """False when the state is implied by a stated level rather than answered."""


@dataclass(frozen=True)
class AssessedArea:
    """An area's assessed level, its target, and the capabilities that decide the level."""

    area: str
    level: int
    target: int
    capabilities: tuple[AssessedCapability, ...] = ()
    """The area's capabilities up to the level above ``max(level, target)``, by level."""


@dataclass(frozen=True)
class PlannedPerson:
    """A named member of the team: the roles they cover, at what efficiency and rate."""

    name: str
    roles: tuple[str, ...]
    efficiency: Mapping[str, float] = field(default_factory=dict)
    day_rate: float | None = None


@dataclass(frozen=True)
class PlannedTeamChange:
    """People joining (+) or leaving (-) a role from ``start``, until ``end`` if given; with
    ``person``, that named person (``role`` is then their name too)."""

    role: str
    change: int
    start: date
    end: date | None = None
    note: str = ""
    person: str | None = None


@dataclass(frozen=True)
class AssumedDone:
    """A capability nobody reassessed at a re-plan, which the previous plan had finished by
    ``planned_end``: taken as done as planned. Kept as data; reports word it for a person."""

    id: str
    planned_end: date


@dataclass(frozen=True)
class MilestoneForecast:
    """When a milestone is reached across the forecast's samples."""

    id: str
    title: str
    level: int
    optimal: _dt.date
    """The plan's own date (every estimate at its likely value, solved to optimality)."""
    p50: _dt.date
    p85: _dt.date
    p95: _dt.date
    deadline: _dt.date | None = None
    deadline_probability: float | None = None
    """Share of samples reaching it by the deadline (None without a deadline)."""
    by_date: tuple[tuple[_dt.date, float], ...] = ()
    """Probability of having reached it by each date (a cumulative curve, a few points)."""


@dataclass(frozen=True)
class CriticalCapability:
    """How often a capability was on the chain that decided the target date."""

    id: str
    title: str
    index: float
    """Share of samples in which it was on the chain."""
    waiting_for_prerequisite: float
    """Of those samples, the share in which it started as soon as a prerequisite (or its
    earliest start) let it."""
    waiting_for_people: float
    """Of those samples, the share in which it waited for people busy on other work."""
    mean_wait_days: float
    """Mean working days it waited for people when it did."""


@dataclass(frozen=True)
class ForecastSummary:
    """A Monte Carlo forecast of the plan: durations drawn, work re-levelled per sample."""

    samples: int
    seed: int
    distribution: str
    milestones: tuple[MilestoneForecast, ...]
    critical: tuple[CriticalCapability, ...]
    chain_people_share: float
    """Mean share of the deciding chain's links that were waits for people."""

    @property
    def target(self) -> MilestoneForecast:
        return self.milestones[-1]


@dataclass(frozen=True)
class Plan:
    """A complete, reproducible plan for one engagement."""

    schema_version: int
    engagement: str
    client: str
    inputs_digest: str
    catalog: str
    catalog_version: str
    planner_version: str
    start: date
    sprint_weeks: int
    focus_factor: float
    currency: str
    current_level: int
    target_level: int
    deadline: date | None
    budget: float | None
    solver: SolverReport
    items: tuple[PlannedItem, ...]
    milestones: tuple[PlannedMilestone, ...]
    sprints: tuple[SprintLoad, ...]
    roles: Mapping[str, str]
    areas: Mapping[str, str]
    day_rates: Mapping[str, float]
    total_cost: float
    total_person_days: float
    end: date
    jira_project: str | None = None
    roadmap_label: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    assumed_done: tuple[AssumedDone, ...] = ()
    """At a re-plan: unanswered capabilities taken as done as the previous plan had them."""
    replanned_on: date | None = None
    """The re-plan date ("today") for a plan made by re-planning; None for a first plan."""
    assessment: tuple[AssessedArea, ...] = ()
    """Where the organisation stood when planned: per area, the level and why."""
    overlays: tuple[str, ...] = ()
    """The catalog overlays (file names, in the order applied) that changed the estimates."""
    team_changes: tuple[PlannedTeamChange, ...] = ()
    capacity: Mapping[str, tuple[CapacityStep, ...]] = field(default_factory=dict)
    """People per role available to the roadmap over time (team changes applied): a role's
    anonymous people; each named person under their name (1)."""
    people: tuple[PlannedPerson, ...] = ()
    """The team's named people."""
    forecast: ForecastSummary | None = None
    """The forecast under uncertainty, when the estimates carry ranges."""

    def item(self, capability_id: str) -> PlannedItem:
        return next(i for i in self.items if i.id == capability_id)

    @property
    def overall_milestones(self) -> tuple[PlannedMilestone, ...]:
        return tuple(m for m in self.milestones if m.area is None)
