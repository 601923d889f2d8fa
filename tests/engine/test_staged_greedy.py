"""The milestone-aware warm start: checked schedules, and no milestone ever moved later."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.engine import (
    Activity,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
    check_schedule,
)
from planner.engine.greedy import greedy_schedule
from planner.engine.justify import justify, staged_greedy


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(3, 14))
    activities = tuple(
        Activity(
            f"a{i}",
            tuple(
                Mode(
                    draw(st.integers(1, 6)),
                    {"r": draw(st.integers(0, 2)), "s": draw(st.integers(0, 1))},
                )
                for _ in range(draw(st.integers(1, 2)))
            ),
        )
        for i in range(n)
    )
    precedences = tuple(
        Precedence(f"a{j}", f"a{i}", draw(st.integers(0, 2)))
        for i in range(1, n)
        for j in draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True))
    )
    cut = draw(st.integers(1, n - 1))
    early = {f"a{i}" for i in range(cut)}
    for p in precedences:  # a milestone holds its work's prerequisites
        if p.after in early:
            early.add(p.before)
    milestones = (
        Milestone("first", tuple(sorted(early))),
        Milestone("all", tuple(a.id for a in activities)),
    )
    return Project(
        activities, (Resource("r", 2), Resource("s", 1)), precedences, milestones=milestones
    )


@settings(max_examples=60, deadline=None)
@given(projects())
def test_justifying_with_milestones_never_moves_one_later(project: Project) -> None:
    schedule = greedy_schedule(project)
    assert schedule is not None
    better = justify(project, schedule, milestones=("first",))
    assert check_schedule(project, better) == []
    assert better.milestone_date("first", project) <= schedule.milestone_date("first", project)
    assert better.makespan(project) <= schedule.makespan(project)


@settings(max_examples=60, deadline=None)
@given(projects())
def test_the_staged_warm_start_is_feasible(project: Project) -> None:
    schedule = staged_greedy(project, ("first",))
    assert schedule is not None
    assert check_schedule(project, schedule, (Objective("makespan"),)) == []


def test_the_first_milestone_is_built_first() -> None:
    # Hand-solved: one unit of r; "x" (the first milestone) and "y" (4 days each, no
    # precedence). Latest-finish-first may put y first; staged puts x first: day 4, not 8.
    project = Project(
        (Activity("y", (Mode(4, {"r": 1}),)), Activity("x", (Mode(4, {"r": 1}),))),
        (Resource("r", 1),),
        milestones=(Milestone("first", ("x",)), Milestone("all", ("x", "y"))),
    )
    schedule = staged_greedy(project, ("first",))
    assert schedule is not None
    assert schedule.milestone_date("first", project) == 4
    assert schedule.makespan(project) == 8
