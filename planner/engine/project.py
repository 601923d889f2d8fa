"""The engine's problem data: a multi-mode resource-constrained project, as frozen dataclasses.

Pure data; no solver, no I/O. Ids are human strings; solvers map them to indices themselves.
Time is integral and unit-less (days, weeks, ...); time 0 is the project's origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from planner.engine.errors import EngineError as EngineError  # re-exported
from planner.engine.errors import ProjectError as ProjectError  # re-exported

ObjectiveKind = Literal["milestones", "consumption", "moved", "shift", "starts", "makespan"]
OBJECTIVE_KINDS: tuple[ObjectiveKind, ...] = (
    "milestones",
    "consumption",
    "moved",
    "shift",
    "starts",
    "makespan",
)


@dataclass(frozen=True)
class Mode:
    """One way to staff an activity."""

    duration: int
    """Time units, >= 0."""
    demands: Mapping[str, int]
    """Renewable resource id -> units held during the whole duration."""
    consumption: Mapping[str, int] = field(default_factory=dict)
    """Budget (non-renewable resource) id -> units consumed, e.g. cost."""


@dataclass(frozen=True)
class Activity:
    """A piece of work, done without interruption in exactly one of its modes."""

    id: str
    modes: tuple[Mode, ...]
    release: int = 0
    """Earliest start (not-before)."""
    due: int | None = None
    """Latest end (finish-by), hard."""
    fixed_start: int | None = None
    """Pinned start."""
    fixed_mode: int | None = None
    """Pinned mode index."""
    preferred_start: int | None = None
    """Start wished for by stability objectives ("shift"), e.g. the previous plan's start."""
    preferred_window: tuple[int, int] | None = None
    """``[lo, hi)``: starting outside it counts as "moved" (objective "moved")."""

    @property
    def allowed_modes(self) -> tuple[int, ...]:
        """Indices of the modes the activity may use (only the pinned one when pinned)."""
        if self.fixed_mode is not None:
            return (self.fixed_mode,)
        return tuple(range(len(self.modes)))

    @property
    def min_duration(self) -> int:
        """The shortest duration among the allowed modes."""
        return min(self.modes[m].duration for m in self.allowed_modes)

    @property
    def max_duration(self) -> int:
        """The longest duration among the allowed modes."""
        return max(self.modes[m].duration for m in self.allowed_modes)


@dataclass(frozen=True)
class Resource:
    """A renewable resource (a role, a team, a machine) with a capacity that may vary."""

    id: str
    capacity: int
    """Units available from time 0."""
    steps: tuple[tuple[int, int], ...] = ()
    """``(time, capacity from that time on)``, sorted by time: people joining, leaving, holidays."""

    def capacity_at(self, time: int) -> int:
        """Units available during the time unit ``[time, time + 1)``."""
        capacity = self.capacity
        for at, value in self.steps:
            if at > time:
                break
            capacity = value
        return capacity

    def profile(self) -> list[tuple[int, int]]:
        """``(from time, capacity)`` pieces, starting at 0, without repeated capacities."""
        pieces: list[tuple[int, int]] = [(0, self.capacity)]
        for at, value in self.steps:
            at = max(at, 0)
            if pieces[-1][0] == at:
                pieces[-1] = (at, value)
            elif pieces[-1][1] != value:
                pieces.append((at, value))
            if len(pieces) > 1 and pieces[-1][1] == pieces[-2][1]:
                pieces.pop()
        return pieces

    @property
    def max_capacity(self) -> int:
        """The largest capacity over all times."""
        return max(value for _, value in self.profile())

    @property
    def last_change(self) -> int:
        """The time of the last capacity step (0 without steps)."""
        return self.steps[-1][0] if self.steps else 0


@dataclass(frozen=True)
class Precedence:
    """``start(after) >= end(before) + lag``; a negative lag lets them overlap."""

    before: str
    after: str
    lag: int = 0


@dataclass(frozen=True)
class Budget:
    """A non-renewable resource: the chosen modes' consumption must not exceed ``capacity``."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Milestone:
    """Reached at the latest end of ``activities`` (at the origin, time 0, when empty)."""

    id: str
    activities: tuple[str, ...]
    due: int | None = None
    """Hard deadline for the milestone's date."""


@dataclass(frozen=True)
class Project:
    """Everything the engine schedules: activities, resources and the rules between them."""

    activities: tuple[Activity, ...]
    resources: tuple[Resource, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    budgets: tuple[Budget, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    horizon: int | None = None
    """Every activity must end by the horizon; ``None``: the engine computes a safe one."""

    @cached_property
    def activity(self) -> Mapping[str, Activity]:
        """Activities by id."""
        return {a.id: a for a in self.activities}

    @cached_property
    def resource(self) -> Mapping[str, Resource]:
        """Resources by id."""
        return {r.id: r for r in self.resources}

    @cached_property
    def budget(self) -> Mapping[str, Budget]:
        """Budgets by id."""
        return {b.id: b for b in self.budgets}

    @cached_property
    def milestone(self) -> Mapping[str, Milestone]:
        """Milestones by id."""
        return {m.id: m for m in self.milestones}

    @cached_property
    def successors(self) -> Mapping[str, tuple[Precedence, ...]]:
        """Precedences leaving each activity, in input order."""
        out: dict[str, list[Precedence]] = {a.id: [] for a in self.activities}
        for p in self.precedences:
            out.setdefault(p.before, []).append(p)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def predecessors(self) -> Mapping[str, tuple[Precedence, ...]]:
        """Precedences entering each activity, in input order."""
        out: dict[str, list[Precedence]] = {a.id: [] for a in self.activities}
        for p in self.precedences:
            out.setdefault(p.after, []).append(p)
        return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Objective:
    """One stage of a lexicographic objective (all stages minimise).

    - ``milestones``: sum of the dates of ``targets`` (milestone ids; all milestones if empty);
    - ``consumption``: total consumption of ``targets`` (budget ids; all budgets if empty);
    - ``moved``: number of activities with a ``preferred_window`` starting outside it;
    - ``shift``: sum of ``|start - preferred_start|``;
    - ``starts``: sum of all starts (a deterministic left-shift tie-break);
    - ``makespan``: latest end of all activities.
    """

    kind: ObjectiveKind
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """A start time and a mode index per activity id."""

    starts: Mapping[str, int]
    modes: Mapping[str, int]

    def duration(self, activity_id: str, project: Project) -> int:
        """The duration of the activity in its chosen mode."""
        return project.activity[activity_id].modes[self.modes[activity_id]].duration

    def end(self, activity_id: str, project: Project) -> int:
        """The activity's end: start + duration of its chosen mode."""
        return self.starts[activity_id] + self.duration(activity_id, project)

    def makespan(self, project: Project) -> int:
        """The latest end of all activities (0 without activities)."""
        return max((self.end(a.id, project) for a in project.activities), default=0)

    def milestone_date(self, milestone_id: str, project: Project) -> int:
        """The latest end of the milestone's activities, and never before the origin (0)."""
        milestone = project.milestone[milestone_id]
        return max((self.end(a, project) for a in milestone.activities), default=0)

    def consumption(self, budget_id: str, project: Project) -> int:
        """Units of the budget consumed by the chosen modes."""
        return sum(
            a.modes[self.modes[a.id]].consumption.get(budget_id, 0) for a in project.activities
        )


def objective_value(project: Project, schedule: Schedule, objective: Objective) -> int:
    """The value of one objective stage for a schedule (what the solver minimises)."""
    kind = objective.kind
    if kind == "makespan":
        return schedule.makespan(project)
    if kind == "milestones":
        ids = objective.targets or tuple(m.id for m in project.milestones)
        return sum(schedule.milestone_date(m, project) for m in ids)
    if kind == "consumption":
        ids = objective.targets or tuple(b.id for b in project.budgets)
        return sum(schedule.consumption(b, project) for b in ids)
    if kind == "starts":
        return sum(schedule.starts[a.id] for a in project.activities)
    if kind == "shift":
        return sum(
            abs(schedule.starts[a.id] - a.preferred_start)
            for a in project.activities
            if a.preferred_start is not None
        )
    if kind == "moved":
        return sum(
            1
            for a in project.activities
            if a.preferred_window is not None
            and not a.preferred_window[0] <= schedule.starts[a.id] < a.preferred_window[1]
        )
    raise ValueError(f"unknown objective kind {kind!r}")
