"""Why each activity starts when it does, and how much it could slip: pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.engine.graph import topological_order
from planner.engine.project import Project, Schedule

ReasonKind = Literal["origin", "release", "pinned", "precedence", "resource", "choice"]


@dataclass(frozen=True)
class StartReason:
    """Why an activity does not start earlier.

    - ``origin``: it starts at 0 and nothing holds it back;
    - ``pinned``: its start is fixed;
    - ``precedence``: ``activity`` (a prerequisite) ends, plus its ``lag``, exactly then;
    - ``release``: it starts at its release date;
    - ``resource``: ``resource`` lacks free capacity for it at ``time`` (= start - 1): its
      mode needs ``need`` units, the capacity then is ``capacity``, and ``holders`` (the
      other activities holding it then) leave too few free; with a capacity below ``need``,
      ``until`` is the first time from which the capacity is ``need`` again;
    - ``choice``: nothing above holds: the solver chose a later start (e.g. for stability).

    Only ``time = start - 1`` can block a feasible schedule's activity: on every later time
    unit of a one-unit-earlier run the activity already holds its units beside the others.
    """

    kind: ReasonKind
    activity: str | None = None
    resource: str | None = None
    time: int | None = None
    lag: int = 0
    need: int = 0
    capacity: int = 0
    holders: tuple[str, ...] = ()
    until: int | None = None

    def __str__(self) -> str:
        if self.kind == "precedence":
            return f"waits for {self.activity!r}"
        if self.kind == "resource":
            return f"{self.resource!r} is fully used at {self.time}"
        return {
            "origin": "starts at the origin",
            "release": "starts at its release date",
            "pinned": "pinned",
            "choice": "could start earlier; placed later by choice",
        }[self.kind]


def explain_starts(project: Project, schedule: Schedule) -> dict[str, StartReason]:
    """The reason of each activity's start; priority pinned > precedence > release > resource.

    The schedule should be feasible (see ``check_schedule``).
    """
    reasons: dict[str, StartReason] = {}
    for a in project.activities:
        start = schedule.starts[a.id]
        if a.fixed_start is not None:
            reasons[a.id] = StartReason("pinned")
            continue
        waits = [
            p
            for p in project.predecessors[a.id]
            if schedule.end(p.before, project) + p.lag == start
        ]
        if waits:
            reasons[a.id] = StartReason("precedence", activity=waits[0].before, lag=waits[0].lag)
        elif start == max(a.release, 0):
            reasons[a.id] = StartReason("release" if a.release > 0 else "origin")
        else:
            reasons[a.id] = _blocking(project, schedule, a.id, start - 1) or StartReason("choice")
    return reasons


def _blocking(project: Project, schedule: Schedule, activity_id: str, t: int) -> StartReason | None:
    """The first resource without enough free capacity at ``t`` for the activity's mode."""
    mode = project.activity[activity_id].modes[schedule.modes[activity_id]]
    if mode.duration == 0:
        return None
    for r in project.resources:
        need = mode.demands.get(r.id, 0)
        if need == 0:
            continue
        holders: list[str] = []
        used = 0
        for other in project.activities:
            if other.id == activity_id:
                continue
            units = other.modes[schedule.modes[other.id]].demands.get(r.id, 0)
            start = schedule.starts[other.id]
            if units and start <= t < schedule.end(other.id, project):
                used += units
                holders.append(other.id)
        capacity = r.capacity_at(t)
        if capacity - used < need:
            until = None
            if capacity < need:
                until = next((at for at, value in r.steps if at > t and value >= need), t + 1)
            return StartReason(
                "resource",
                resource=r.id,
                time=t,
                need=need,
                capacity=capacity,
                holders=tuple(holders),
                until=until,
            )
    return None


def slack(project: Project, schedule: Schedule) -> dict[str, int]:
    """Total float of each activity: how far it could slip, with the chosen durations and
    the precedences (resources aside), without moving the schedule's makespan. 0: critical."""
    order = topological_order(project)
    assert order is not None, "slack needs an acyclic project"
    makespan = schedule.makespan(project)
    latest_start: dict[str, int] = {}
    for a_id in reversed(order):
        finish = makespan
        for p in project.successors[a_id]:
            finish = min(finish, latest_start[p.after] - p.lag)
        latest_start[a_id] = finish - schedule.duration(a_id, project)
    return {a.id: latest_start[a.id] - schedule.starts[a.id] for a in project.activities}


def resource_slack(project: Project, schedule: Schedule) -> dict[str, int]:
    """Total float with the resources taken into account: how far each activity could slip
    without moving the makespan, the precedences or anybody's capacity.

    It is the distance to the right-justified schedule (every activity, latest end first,
    moved as late as capacity, its successors and the makespan allow), the usual float of
    resource-constrained scheduling; never more than :func:`slack`. 0: critical.
    """
    from planner.engine.justify import right_justified

    late = right_justified(project, schedule)
    loose = slack(project, schedule)
    return {
        a.id: min(loose[a.id], late.starts[a.id] - schedule.starts[a.id])
        for a in project.activities
    }
