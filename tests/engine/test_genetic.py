"""The genetic algorithm (activity lists, serial generation, forward-backward improvement)."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from planner.engine import (
    Activity,
    Budget,
    Mode,
    Precedence,
    Project,
    Resource,
    Schedule,
    check_schedule,
)
from planner.engine.genetic import Evolved, genetic_schedule
from planner.engine.sgs import compile_project
from tests.engine._engine_support import brute_force_makespan
from tests.engine.test_properties import projects


def _checked(project: Project, **kwargs: int) -> Evolved:
    evolved = genetic_schedule(project, **kwargs)  # type: ignore[arg-type]
    if evolved.schedule is not None:
        assert check_schedule(project, evolved.schedule) == []
        assert evolved.makespan == evolved.schedule.makespan(project)
    return evolved


def test_two_units_three_jobs() -> None:
    # Two units of "crew". "wide" needs both for 2; "a" and "b" need one each for 3, and
    # "wide" feeds "tail" (1, no crew). wide [0, 2), then a and b side by side [2, 5), tail
    # [2, 3): 5. Any other order leaves a unit idle: a and b first end "wide" at 5, tail at 6.
    project = Project(
        activities=(
            Activity("a", (Mode(3, {"crew": 1}),)),
            Activity("b", (Mode(3, {"crew": 1}),)),
            Activity("wide", (Mode(2, {"crew": 2}),)),
            Activity("tail", (Mode(1, {}),)),
        ),
        resources=(Resource("crew", 2),),
        precedences=(Precedence("wide", "tail"),),
    )
    evolved = _checked(project, schedules=200)
    assert evolved.makespan == 5
    assert evolved.schedule is not None
    assert dict(evolved.schedule.starts) == {"wide": 0, "a": 2, "b": 2, "tail": 2}


def test_budget_allows_one_fast_mode_only() -> None:
    # fast: 2 units of time for 5 of money; slow: 6 for 1. Money 6: one fast at most.
    # x before y: fast + slow = 8 either way; both fast (10 of money) is over budget.
    fast, slow = Mode(2, {}, {"money": 5}), Mode(6, {}, {"money": 1})
    project = Project(
        activities=(Activity("x", (slow, fast)), Activity("y", (slow, fast))),
        precedences=(Precedence("x", "y"),),
        budgets=(Budget("money", 6),),
    )
    evolved = _checked(project, schedules=100)
    assert evolved.makespan == 8
    assert evolved.schedule is not None
    assert sorted(evolved.schedule.modes.values()) == [0, 1]


def test_lags_releases_and_capacity_steps() -> None:
    # a [0, 2); b waits for a's end plus a lag of 3: [5, 6); c is released at 4 but the
    # single unit of "r" is gone during [4, 7): c runs [7, 9).
    project = Project(
        activities=(
            Activity("a", (Mode(2, {"r": 1}),)),
            Activity("b", (Mode(1, {}),)),
            Activity("c", (Mode(2, {"r": 1}),), release=4),
        ),
        resources=(Resource("r", 1, steps=((4, 0), (7, 1))),),
        precedences=(Precedence("a", "b", lag=3),),
    )
    evolved = _checked(project, schedules=50)
    assert evolved.schedule is not None
    assert dict(evolved.schedule.starts) == {"a": 0, "b": 5, "c": 7}


def test_no_schedule_within_the_budget() -> None:
    project = Project(
        activities=(Activity("x", (Mode(1, {}, {"money": 3}),)),),
        budgets=(Budget("money", 2),),
    )
    evolved = genetic_schedule(project, schedules=40)
    assert evolved.schedule is None and evolved.makespan is None


def _random_project(seed: int, n: int = 25) -> Project:
    rng = random.Random(seed)
    resources = (Resource("r1", 5), Resource("r2", 4, steps=((10, 3), (20, 4))))
    activities = tuple(
        Activity(
            f"a{i}",
            tuple(
                Mode(rng.randint(1, 6), {"r1": rng.randint(2, 4), "r2": rng.randint(0, 3)})
                for _ in range(rng.randint(1, 2))
            ),
        )
        for i in range(n)
    )
    precedences = tuple(
        Precedence(f"a{i}", f"a{j}")
        for i in range(n)
        for j in range(i + 1, min(n, i + 6))
        if rng.random() < 0.3
    )
    return Project(activities, resources, precedences)


def test_same_seed_same_schedule() -> None:
    project = _random_project(7)
    first = _checked(project, schedules=300, seed=3)
    again = _checked(project, schedules=300, seed=3)
    assert first.schedule is not None and again.schedule is not None
    assert dict(first.schedule.starts) == dict(again.schedule.starts)
    assert dict(first.schedule.modes) == dict(again.schedule.modes)
    assert first.generated == again.generated == 300


def test_more_schedules_never_worse_than_the_first_population() -> None:
    project = _random_project(11)
    few = _checked(project, schedules=40, population=40)
    many = _checked(project, schedules=600, population=40)
    assert few.makespan is not None and many.makespan is not None
    assert many.makespan <= few.makespan
    assert many.makespan >= many.bound


def test_seeded_with_a_schedule_never_returns_a_longer_one() -> None:
    project = _random_project(5)
    compiled = compile_project(project)
    assert compiled is not None
    starts = compiled.forward(compiled.topo, [0] * compiled.size)
    assert starts is not None
    seed_schedule = compiled.schedule(starts, [0] * compiled.size)
    assert check_schedule(project, seed_schedule) == []
    evolved = _checked(project, schedules=60, initial=[seed_schedule])  # type: ignore[arg-type]
    assert evolved.makespan is not None
    assert evolved.makespan <= seed_schedule.makespan(project)


SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(projects())
def test_every_schedule_passes_the_checker(project: Project) -> None:
    evolved = _checked(project, schedules=60, population=10)
    assert evolved.generated <= 60 or evolved.generated == 0
    if evolved.makespan is not None:
        assert evolved.makespan >= evolved.bound


@settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(projects(max_activities=4, max_duration=3))
def test_tiny_projects_reach_the_optimum(project: Project) -> None:
    # Dues are met by search, not by construction: take them out, so that every
    # precedence-feasible list decodes to a schedule and brute force and the algorithm agree.
    loose = replace(
        project,
        activities=tuple(replace(a, due=None) for a in project.activities),
        milestones=(),
    )
    expected = brute_force_makespan(loose)
    evolved = _checked(loose, schedules=300, population=20)
    assert evolved.makespan == expected


def test_forward_backward_improvement_never_lengthens() -> None:
    for seed in range(5):
        project = _random_project(seed, n=30)
        compiled = compile_project(project)
        assert compiled is not None
        rng = random.Random(seed)
        modes = [rng.choice(compiled.allowed[i]) for i in range(compiled.size)]
        starts = compiled.forward(compiled.topo, modes)
        assert starts is not None
        improved, span = compiled.improve(starts, modes)
        assert span <= compiled.makespan(starts, modes)
        schedule = Schedule(
            dict(zip(compiled.ids, improved, strict=True)),
            dict(zip(compiled.ids, modes, strict=True)),
        )
        assert check_schedule(project, schedule) == []
        assert schedule.makespan(project) == span
