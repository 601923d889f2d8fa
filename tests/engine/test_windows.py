"""The window search: checked schedules, no objective date ever later, the same every time."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.engine import (
    Activity,
    Budget,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
    check_schedule,
)
from planner.engine.cpsat_windows import first_milestone_first, improve_by_windows
from planner.engine.greedy import greedy_schedule
from tests.engine._engine_support import solve_checked

OBJECTIVES = (Objective("makespan"), Objective("milestones", ("first",)))


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(6, 14))
    activities = tuple(
        Activity(
            f"a{i}",
            tuple(
                Mode(
                    draw(st.integers(1, 6)),
                    {"r": draw(st.integers(0, 2)), "s": draw(st.integers(0, 1))},
                    {"money": draw(st.integers(0, 3))},
                )
                for _ in range(draw(st.integers(1, 2)))
            ),
            release=draw(st.sampled_from([0, 0, 2])),
        )
        for i in range(n)
    )
    precedences = tuple(
        Precedence(f"a{j}", f"a{i}", draw(st.integers(-1, 2)))
        for i in range(1, n)
        for j in draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True))
    )
    early = {f"a{i}" for i in range(draw(st.integers(1, n - 1)))}
    milestones = (
        Milestone("first", tuple(sorted(early))),
        Milestone("all", tuple(a.id for a in activities)),
    )
    steps = ((draw(st.integers(1, 8)), 1), (draw(st.integers(9, 14)), 2))
    return Project(
        activities,
        (Resource("r", 2, steps), Resource("s", 1)),
        precedences,
        (Budget("money", 3 * n),),
        milestones,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_windows_keep_the_schedule_feasible_and_no_date_later(project: Project) -> None:
    schedule = greedy_schedule(project)
    if schedule is None or check_schedule(project, schedule):
        return
    better, spent = improve_by_windows(project, schedule, OBJECTIVES, budget=0.3, size=4)
    assert check_schedule(project, better) == []
    assert better.makespan(project) <= schedule.makespan(project)
    for m in ("first", "all"):
        assert better.milestone_date(m, project) <= schedule.milestone_date(m, project)
    assert better.consumption("money", project) <= schedule.consumption("money", project)
    assert spent <= 0.3 + 0.05


def layered(size: int, seed: int) -> Project:
    """Random prerequisites among the previous 10, two options over three roles."""
    rng = random.Random(seed)
    activities, precedences = [], []
    for i in range(size):
        modes = tuple(
            Mode(rng.randint(1, 5), {r: rng.randint(1, 2) for r in rng.sample("xyz", 2)})
            for _ in range(2)
        )
        activities.append(Activity(f"c{i:03d}", modes))
        for j in rng.sample(range(max(0, i - 10), i), min(i, rng.randint(0, 2))):
            precedences.append(Precedence(f"c{j:03d}", f"c{i:03d}"))
    half = tuple(a.id for a in activities[: size // 2])
    return Project(
        tuple(activities),
        tuple(Resource(r, 3) for r in "xyz"),
        tuple(precedences),
        milestones=(Milestone("first", half), Milestone("all", tuple(a.id for a in activities))),
    )


def test_windows_improve_a_greedy_schedule_the_same_way_every_time() -> None:
    project = layered(60, seed=3)
    schedule = greedy_schedule(project)
    assert schedule is not None
    first, _ = improve_by_windows(project, schedule, OBJECTIVES, budget=0.2, size=20)
    again, _ = improve_by_windows(project, schedule, OBJECTIVES, budget=0.2, size=20)
    assert first == again
    assert check_schedule(project, first) == []
    before = (schedule.makespan(project), schedule.milestone_date("first", project))
    after = (first.makespan(project), first.milestone_date("first", project))
    assert after < before


def test_solve_with_a_window_share_returns_a_checked_schedule() -> None:
    project = layered(50, seed=5)
    result = solve_checked(project, OBJECTIVES, time_limit=0.4, workers=1, improve=0.75)
    assert result.schedule is not None
    assert result.stages[0].value == result.schedule.makespan(project)


def test_the_first_milestone_planned_alone_is_never_later_and_checked() -> None:
    project = layered(60, seed=7)
    schedule = greedy_schedule(project)
    assert schedule is not None
    alone = first_milestone_first(project, schedule, OBJECTIVES, budget=0.3)
    again = first_milestone_first(project, schedule, OBJECTIVES, budget=0.3)
    assert alone is not None and alone == again
    assert check_schedule(project, alone) == []
    assert alone.milestone_date("first", project) <= schedule.milestone_date("first", project)


def test_without_a_milestone_stage_there_is_nothing_to_plan_first() -> None:
    project = layered(30, seed=1)
    schedule = greedy_schedule(project)
    assert schedule is not None
    makespan_only = (Objective("makespan"),)
    assert first_milestone_first(project, schedule, makespan_only, budget=0.1) is None


def test_milestones_planned_alone_in_turn_give_a_checked_schedule() -> None:
    project = layered(60, seed=9)
    schedule = greedy_schedule(project)
    assert schedule is not None
    both = (
        Objective("makespan"),
        Objective("milestones", ("first",)),
        Objective("milestones", ("all",)),
    )
    turns = first_milestone_first(project, schedule, both, budget=0.4, count=2)
    assert turns is not None
    assert check_schedule(project, turns) == []
    assert turns.milestone_date("first", project) <= schedule.milestone_date("first", project)
