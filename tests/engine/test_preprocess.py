"""Multi-mode preprocessing: each rule on a hand case, the makespan unchanged on random projects,
every schedule checked against the original project."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.engine import (
    Activity,
    Budget,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
    Schedule,
    SolveStatus,
    solve,
)
from planner.engine.preprocess import reduce_project
from tests.engine._engine_support import solve_checked

MAKESPAN = (Objective("makespan"),)


def test_a_mode_needing_more_than_the_resource_ever_has_is_removed() -> None:
    project = Project(
        (Activity("a", (Mode(1, {"dev": 3}), Mode(4, {"dev": 1}))),),
        (Resource("dev", 2, steps=((5, 1),)),),
    )
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None
    assert reduction.kept == {"a": (1,)}
    result = solve_checked(project, time_limit=2.0)
    assert result.schedule is not None and result.schedule.modes == {"a": 1}


def test_a_mode_of_zero_duration_holds_nothing() -> None:
    # The checker lets a zero-duration mode need more than the capacity (it holds nothing);
    # the model dropped such modes, and with the horizon from the greedy schedule (0) called
    # a feasible project infeasible, or failed on an empty capacity profile.
    project = Project(
        (
            Activity("a", (Mode(0, {}),)),
            Activity("b", (Mode(1, {"dev": 1}), Mode(0, {"dev": 2}))),
        ),
        (Resource("dev", 1),),
        (Precedence("a", "b"),),
    )
    for preprocess in (False, True):
        result = solve_checked(project, time_limit=2.0, preprocess=preprocess)
        assert result.status is SolveStatus.OPTIMAL
        assert result.schedule is not None and result.schedule.modes["b"] == 1
        assert result.objective_values["makespan"] == 0


def test_budget_rules_chain_non_executable_then_redundant_then_inefficient() -> None:
    # Least consumption 1 + 2 = 3 of 5: a's mode 1 (4) cannot fit (3 - 1 + 4 = 6 > 5). Then
    # the largest consumptions 1 + 3 = 4 fit in 5: the budget is redundant, and b's mode 0,
    # longer than mode 1 and no cheaper in anything left, is inefficient.
    project = Project(
        (
            Activity("a", (Mode(3, {"dev": 1}, {"cash": 1}), Mode(1, {"dev": 1}, {"cash": 4}))),
            Activity("b", (Mode(2, {"dev": 1}, {"cash": 2}), Mode(1, {"dev": 1}, {"cash": 3}))),
        ),
        (Resource("dev", 1),),
        (Precedence("a", "b"),),
        (Budget("cash", 5),),
    )
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None
    assert reduction.kept == {"a": (0,), "b": (1,)}
    assert reduction.dropped_budgets == ("cash",)
    assert reduction.project.budgets == ()
    assert all(not m.consumption for a in reduction.project.activities for m in a.modes)
    assert reduction.removed_modes == 2
    result = solve_checked(project, time_limit=2.0)
    assert result.status is SolveStatus.OPTIMAL
    assert result.schedule is not None
    assert result.schedule.modes == {"a": 0, "b": 1}
    assert result.objective_values["makespan"] == 4


def test_an_inefficient_mode_is_removed_and_the_first_of_equal_modes_stays() -> None:
    project = Project(
        (
            Activity(
                "a",
                (
                    Mode(3, {"dev": 2}),
                    Mode(2, {"dev": 1}),
                    Mode(2, {"dev": 1}),
                    Mode(1, {"dev": 2}),
                ),
            ),
        ),
        (Resource("dev", 2),),
    )
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None
    assert reduction.kept == {"a": (1, 3)}
    assert reduction.replaced == {"a": {0: 1, 2: 1}}


def test_a_budget_that_binds_keeps_its_modes() -> None:
    # Cheaper but slower against dearer but faster, and the budget binds: nothing to remove.
    project = Project(
        (
            Activity("a", (Mode(3, {}, {"cash": 1}), Mode(1, {}, {"cash": 2}))),
            Activity("b", (Mode(3, {}, {"cash": 1}), Mode(1, {}, {"cash": 2}))),
        ),
        budgets=(Budget("cash", 3),),
    )
    assert reduce_project(project, MAKESPAN) is None
    result = solve_checked(project, time_limit=2.0)
    assert result.objective_values["makespan"] == 3


def test_other_objectives_are_never_reduced() -> None:
    # The dearer mode is not slower: it would go for the makespan, but a cost stage counts it.
    project = Project(
        (Activity("a", (Mode(2, {}, {"cash": 5}), Mode(2, {}, {"cash": 1}))),),
        budgets=(Budget("cash", 100),),
    )
    assert reduce_project(project, MAKESPAN) is not None
    for objectives in (
        (Objective("makespan"), Objective("consumption")),
        (Objective("makespan"), Objective("starts")),
        (Objective("milestones"),),
    ):
        assert reduce_project(project, objectives) is None
    result = solve_checked(project, (Objective("makespan"), Objective("consumption")))
    assert result.schedule is not None and result.schedule.modes == {"a": 1}


def test_a_pinned_mode_is_kept_even_when_inefficient() -> None:
    project = Project(
        (
            Activity("a", (Mode(3, {"dev": 1}), Mode(1, {"dev": 1})), fixed_mode=0),
            Activity("b", (Mode(3, {"dev": 1}), Mode(1, {"dev": 1}))),
        ),
        (Resource("dev", 1),),
    )
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None
    assert reduction.kept == {"a": (0, 1), "b": (1,)}
    result = solve_checked(project, time_limit=2.0)
    assert result.schedule is not None and result.schedule.modes == {"a": 0, "b": 1}
    assert result.objective_values["makespan"] == 4


def test_hints_map_to_the_reduced_project() -> None:
    project = Project(
        (
            Activity("a", (Mode(3, {"dev": 1}), Mode(1, {"dev": 1}), Mode(1, {"dev": 5}))),
            Activity("b", (Mode(1, {"dev": 1}),)),
        ),
        (Resource("dev", 1),),
        (Precedence("a", "b"),),
    )
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None
    assert reduction.kept == {"a": (1,), "b": (0,)}
    slow = Schedule({"a": 0, "b": 3}, {"a": 0, "b": 0})
    assert reduction.to_reduced(slow) == Schedule({"a": 0, "b": 3}, {"a": 0, "b": 0})
    assert reduction.to_reduced(Schedule({"a": 0, "b": 3}, {"a": 2, "b": 0})) is None
    result = solve_checked(project, hint=slow, time_limit=2.0)
    assert result.schedule == Schedule({"a": 0, "b": 1}, {"a": 1, "b": 0})


def test_an_activity_without_an_executable_mode_is_left_to_the_solver() -> None:
    project = Project(
        (
            Activity("a", (Mode(1, {}, {"cash": 4}), Mode(2, {}, {"cash": 5}))),
            Activity("b", (Mode(1, {}, {"cash": 1}),)),
        ),
        budgets=(Budget("cash", 4),),
    )
    assert reduce_project(project, MAKESPAN) is None
    assert solve(project, time_limit=2.0).status is SolveStatus.INFEASIBLE


def test_the_reduced_solve_is_deterministic() -> None:
    project = _chain_project()
    reduction = reduce_project(project, MAKESPAN)
    assert reduction is not None and reduction.kept["a0"] == (0, 1)
    first = solve_checked(project, time_limit=1.0)
    second = solve_checked(project, time_limit=1.0)
    assert first.schedule is not None
    assert first.schedule == second.schedule
    assert [s.value for s in first.stages] == [s.value for s in second.stages]


def _chain_project() -> Project:
    modes = (
        Mode(4, {"dev": 1}, {"cash": 1, "gpu": 1}),
        Mode(2, {"dev": 2}, {"cash": 2, "gpu": 1}),
        Mode(2, {"dev": 2}, {"cash": 3, "gpu": 1}),
    )
    activities = tuple(Activity(f"a{i}", modes) for i in range(5))
    return Project(
        activities,
        (Resource("dev", 2),),
        tuple(Precedence(f"a{i}", f"a{i + 2}") for i in range(3)),
        (Budget("cash", 8), Budget("gpu", 5)),
    )


@st.composite
def multi_mode_projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(2, 7))
    resources = [Resource(f"r{k}", draw(st.integers(1, 4))) for k in range(draw(st.integers(1, 2)))]
    budgets = [f"n{k}" for k in range(draw(st.integers(0, 2)))]
    activities = []
    for i in range(n):
        modes = []
        for _ in range(draw(st.integers(1, 3))):
            demands = {r.id: draw(st.integers(0, r.capacity + 1)) for r in resources}
            consumption = {b: draw(st.integers(0, 5)) for b in budgets}
            modes.append(Mode(draw(st.integers(0, 5)), demands, consumption))
        activities.append(Activity(f"a{i}", tuple(modes)))
    precedences = tuple(
        Precedence(f"a{i}", f"a{j}")
        for i in range(n)
        for j in range(i + 1, n)
        if draw(st.integers(0, 3)) == 0
    )
    caps = tuple(Budget(b, draw(st.integers(0, 5 * n))) for b in budgets)
    return Project(tuple(activities), tuple(resources), precedences, caps)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(multi_mode_projects())
def test_the_optimal_makespan_is_unchanged(project: Project) -> None:
    plain = solve_checked(project, time_limit=5.0, preprocess=False)
    reduced = solve_checked(project, time_limit=5.0)
    assert plain.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
    assert reduced.status is plain.status
    assert reduced.objective_values == plain.objective_values
