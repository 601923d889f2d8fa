"""Tiny projects whose optimum is worked out by hand in a comment."""

from __future__ import annotations

from planner.engine import (
    Activity,
    Budget,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    Resource,
    SolveStatus,
)
from tests.engine._engine_support import solve_checked


def one(duration: int, **demands: int) -> tuple[Mode, ...]:
    return (Mode(duration, demands),)


def test_chain() -> None:
    # a(2) -> b(3) -> c(4): 2 + 3 + 4 = 9.
    project = Project(
        activities=(Activity("a", one(2)), Activity("b", one(3)), Activity("c", one(4))),
        precedences=(Precedence("a", "b"), Precedence("b", "c")),
    )
    result = solve_checked(project)
    assert result.status is SolveStatus.OPTIMAL
    assert result.schedule is not None
    assert dict(result.schedule.starts) == {"a": 0, "b": 2, "c": 5}
    assert result.objective_values == {"makespan": 9}
    assert result.gap_percent == 0.0


def test_parallel_with_capacity_one() -> None:
    # Three independent activities (2, 3, 4) on one person: they run in a row, 2+3+4 = 9.
    project = Project(
        activities=(
            Activity("a", one(2, dev=1)),
            Activity("b", one(3, dev=1)),
            Activity("c", one(4, dev=1)),
        ),
        resources=(Resource("dev", 1),),
    )
    assert solve_checked(project).objective_values["makespan"] == 9


def test_two_modes_trade_off() -> None:
    # Two developers. a: 6 with one dev or 3 with two; b: 6 with one dev.
    # a fast then b: 3 + 6 = 9; a slow beside b: max(6, 6) = 6, which is optimal.
    project = Project(
        activities=(
            Activity("a", (Mode(3, {"dev": 2}), Mode(6, {"dev": 1}))),
            Activity("b", one(6, dev=1)),
        ),
        resources=(Resource("dev", 2),),
    )
    result = solve_checked(project)
    assert result.objective_values["makespan"] == 6
    assert result.schedule is not None and result.schedule.modes["a"] == 1


def test_capacity_step_person_leaves() -> None:
    # Two devs until 4, then one. a(4, 1 dev) and b(4, 1 dev) run together in [0, 4);
    # c(4, 2 devs) must then run before 4 too, which does not fit: so c first [0, 4), then
    # a and b one after the other: 4 + 4 + 4 = 12. The other order (a, b in [0, 4), c never)
    # is impossible, since two devs are never available again.
    project = Project(
        activities=(
            Activity("a", one(4, dev=1)),
            Activity("b", one(4, dev=1)),
            Activity("c", one(4, dev=2)),
        ),
        resources=(Resource("dev", 2, steps=((4, 1),)),),
    )
    result = solve_checked(project)
    assert result.objective_values["makespan"] == 12
    assert result.schedule is not None and result.schedule.starts["c"] == 0


def test_lag() -> None:
    # a(2), then b(1) at least 3 after a ends: 2 + 3 + 1 = 6.
    project = Project(
        activities=(Activity("a", one(2)), Activity("b", one(1))),
        precedences=(Precedence("a", "b", lag=3),),
    )
    result = solve_checked(project)
    assert result.objective_values["makespan"] == 6
    assert result.schedule is not None and result.schedule.starts["b"] == 5


def test_budget_forces_the_slower_mode() -> None:
    # a: 2 units of time for 10 money, or 5 for 3. b: 1 for 5 money. Budget 9:
    # a fast (10) is already over, so a slow (3) + b (5) = 8 <= 9; makespan 5 + 1 = 6.
    project = Project(
        activities=(
            Activity("a", (Mode(2, {}, {"money": 10}), Mode(5, {}, {"money": 3}))),
            Activity("b", (Mode(1, {}, {"money": 5}),)),
        ),
        precedences=(Precedence("a", "b"),),
        budgets=(Budget("money", 9),),
    )
    result = solve_checked(project)
    assert result.objective_values["makespan"] == 6
    assert result.schedule is not None and result.schedule.modes["a"] == 1


def test_release_and_due() -> None:
    # a released at 3, takes 2, due 5: it starts exactly at 3.
    project = Project(activities=(Activity("a", one(2), release=3, due=5),))
    result = solve_checked(project)
    assert result.schedule is not None and result.schedule.starts["a"] == 3


def test_lexicographic_order_is_kept() -> None:
    # One dev. Milestone "m" = {x}; y is independent; both take 3.
    # Stage 1 (milestones): x first, m at 3. Stage 2 (makespan) cannot undo that: 6.
    # Reversed priorities also give makespan 6 but may put y first; stage 2 never worsens
    # stage 1, so the milestone stays at 3 in the first order.
    project = Project(
        activities=(Activity("x", one(3, dev=1)), Activity("y", one(3, dev=1))),
        resources=(Resource("dev", 1),),
        milestones=(Milestone("m", ("x",)),),
    )
    objectives = (Objective("milestones"), Objective("makespan"), Objective("starts"))
    result = solve_checked(project, objectives)
    assert result.status is SolveStatus.OPTIMAL
    assert [s.value for s in result.stages] == [3, 6, 3]
    # Stage 2 and 3 never worsen stage 1 (recomputed from the final schedule):
    assert result.schedule is not None
    assert result.schedule.milestone_date("m", project) == result.stages[0].value


def test_stability_objectives() -> None:
    # Two activities on one dev, previously planned at 0 (a) and 4 (b), window [0, 2) for b.
    # "moved": b cannot start in [0, 2) after a(3) unless b goes first: b at 0, a at 1... one
    # dev, so b [0,1) then a [1,4): moved = 0; shift |1 - 0| + |0 - 4| = 5 (b at 1, a at 2
    # gives 2 + 3 = 5 too).
    project = Project(
        activities=(
            Activity("a", one(3, dev=1), preferred_start=0),
            Activity("b", one(1, dev=1), preferred_start=4, preferred_window=(0, 2)),
        ),
        resources=(Resource("dev", 1),),
    )
    result = solve_checked(project, (Objective("moved"), Objective("shift")))
    assert [s.value for s in result.stages] == [0, 5]


def test_empty_project() -> None:
    result = solve_checked(Project(activities=()))
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective_values == {"makespan": 0}


def test_a_mode_needing_a_resource_absent_before_the_horizon_is_never_chosen() -> None:
    # r2 has nobody until day 10; both modes last 5 days. The greedy schedule (mode 0 on r1,
    # days 0-5) sets the horizon to 5, within which r2 never has anyone: mode 1 must not be
    # chosen at day 0 (it once was, when a zero peak capacity was not enforced).
    project = Project(
        activities=(Activity("c0", (Mode(5, {"r1": 1}), Mode(5, {"r2": 1}))),),
        resources=(Resource("r1", 1), Resource("r2", 0, steps=((10, 1),))),
    )
    for objectives in [(Objective("makespan"),), (Objective("makespan"), Objective("starts"))]:
        result = solve_checked(project, objectives, time_limit=2, workers=1)
        assert result.schedule is not None
        assert result.schedule.modes["c0"] == 0 and result.schedule.starts["c0"] == 0
