"""Lower bounds on milestone dates: never above the optimum, and stronger than plain energy."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.engine import (
    Activity,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
    SolveStatus,
)
from planner.engine.bounds import critical_path, dual_feasible_functions, energy_bound
from tests.engine._engine_support import solve_checked


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(1, 8))
    resources = []
    for r in range(draw(st.integers(1, 2))):
        capacity = draw(st.integers(1, 4))
        steps: tuple[tuple[int, int], ...] = ()
        if draw(st.booleans()):  # someone away for a while
            at = draw(st.integers(1, 6))
            steps = ((at, draw(st.integers(0, capacity))), (at + draw(st.integers(1, 4)), capacity))
        resources.append(Resource(f"r{r}", capacity, steps))
    activities = []
    for i in range(n):
        modes = tuple(
            Mode(
                draw(st.integers(0, 5)),
                {r.id: draw(st.integers(0, r.capacity)) for r in resources if draw(st.booleans())},
            )
            for _ in range(draw(st.integers(1, 2)))
        )
        release = draw(st.sampled_from([0, 0, 0, 2, 4]))
        activities.append(Activity(f"a{i}", modes, release=release))
    precedences = tuple(
        Precedence(f"a{i}", f"a{j}", lag=draw(st.sampled_from([0, 0, 1, 2, -1])))
        for i in range(n)
        for j in range(i + 1, n)
        if draw(st.integers(0, 2)) == 0
    )
    chosen = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    milestone = Milestone("m", tuple(f"a{i}" for i in sorted(chosen)))
    return Project(tuple(activities), tuple(resources), precedences, milestones=(milestone,))


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_the_bound_never_exceeds_the_proven_optimum(project: Project) -> None:
    result = solve_checked(project, (Objective("milestones", ("m",)),), time_limit=5.0)
    if result.status is SolveStatus.INFEASIBLE:
        return
    assert result.status is SolveStatus.OPTIMAL
    optimum = result.objective_values["milestones"]
    inside = project.milestone["m"].activities
    assert critical_path(project, inside) <= energy_bound(project, inside) <= optimum


def test_dual_feasible_functions_keep_every_fitting_set_fitting() -> None:
    for capacity in range(1, 9):
        for f in dual_feasible_functions(capacity):
            for size in range(1, capacity + 1):
                for items in itertools.combinations_with_replacement(range(1, capacity + 1), size):
                    if sum(items) <= capacity:
                        assert sum(f(u) for u in items) <= capacity + 1e-9, (capacity, items)


def test_work_that_cannot_start_early_must_fit_after_its_head() -> None:
    # a (5 days, nobody) before b and c (5 days, the one person each): the plain energy
    # bound and the critical path both say 10; b and c cannot start before 5, so 15
    project = Project(
        (
            Activity("a", (Mode(5, {}),)),
            Activity("b", (Mode(5, {"dev": 1}),)),
            Activity("c", (Mode(5, {"dev": 1}),)),
        ),
        (Resource("dev", 1),),
        (Precedence("a", "b"), Precedence("a", "c")),
    )
    assert critical_path(project, ("a", "b", "c")) == 10
    assert energy_bound(project, ("a", "b", "c")) == 15


def test_demands_over_half_the_team_cannot_run_side_by_side() -> None:
    # three jobs of 2 people out of 3 for 5 days: energy says 30 / 3 = 10, but no two of
    # them fit together, so 15
    project = Project(
        tuple(Activity(f"j{i}", (Mode(5, {"dev": 2}),)) for i in range(3)),
        (Resource("dev", 3),),
    )
    assert energy_bound(project, ("j0", "j1", "j2")) == 15


def test_options_are_mixed_over_the_roles() -> None:
    # each job: 4 days of a data person or 4 days of an engineer; four jobs over one of
    # each: 8 days, whichever way each job goes alone would give 16
    modes = (Mode(4, {"data": 1}), Mode(4, {"eng": 1}))
    project = Project(
        tuple(Activity(f"j{i}", modes) for i in range(4)),
        (Resource("data", 1), Resource("eng", 1)),
    )
    assert energy_bound(project, tuple(f"j{i}" for i in range(4))) == 8


def test_capacity_steps_count_once_the_team_is_settled() -> None:
    # two people for the first 5 days, one after: 20 person-days of single-person jobs
    # need 5 days at two, then 10 at one: 15 (the peak alone would say 10)
    project = Project(
        tuple(Activity(f"j{i}", (Mode(5, {"dev": 1}),)) for i in range(4)),
        (Resource("dev", 2, steps=((5, 1),)),),
    )
    assert energy_bound(project, tuple(f"j{i}" for i in range(4))) == 15
