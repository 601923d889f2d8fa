"""Float with resources: what may slip without moving the makespan, capacity included."""

from __future__ import annotations

from planner.engine import Activity, Mode, Project, Resource, Schedule, check_schedule
from planner.engine.explain import resource_slack, slack


def test_sharing_one_person_makes_both_critical() -> None:
    # One developer: A (3 days) on days 0-3, then B (2 days) on 3-5; makespan 5. Without
    # resources A could slip 2 days; with the one developer it cannot: any delay of A delays
    # B, which ends at the makespan. Both are critical. C (1 day, a tester) may slip 4 days.
    project = Project(
        activities=(
            Activity("A", (Mode(3, {"dev": 1}),)),
            Activity("B", (Mode(2, {"dev": 1}),)),
            Activity("C", (Mode(1, {"test": 1}),)),
        ),
        resources=(Resource("dev", 1), Resource("test", 1)),
    )
    schedule = Schedule({"A": 0, "B": 3, "C": 0}, {"A": 0, "B": 0, "C": 0})
    assert check_schedule(project, schedule) == []
    assert slack(project, schedule) == {"A": 2, "B": 0, "C": 4}
    assert resource_slack(project, schedule) == {"A": 0, "B": 0, "C": 4}


def test_resource_slack_never_exceeds_precedence_slack() -> None:
    project = Project(
        activities=tuple(
            Activity(name, (Mode(d, {"dev": 1}),)) for name, d in (("a", 2), ("b", 4), ("c", 1))
        ),
        resources=(Resource("dev", 2),),
    )
    schedule = Schedule({"a": 0, "b": 0, "c": 2}, {"a": 0, "b": 0, "c": 0})
    # a 0-2 and c 2-3 on one person, b 0-4 on the other: makespan 4; a and c may slip 1.
    loose, tight = slack(project, schedule), resource_slack(project, schedule)
    assert all(tight[k] <= loose[k] for k in loose)
    assert tight == {"a": 1, "b": 0, "c": 1}
