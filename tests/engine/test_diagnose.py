"""Crafted infeasible projects: the conflict found, and what would lift it."""

from __future__ import annotations

from planner.engine import (
    Activity,
    Budget,
    Milestone,
    Mode,
    Precedence,
    Project,
    Resource,
    SolveStatus,
    diagnose,
)
from tests.engine._engine_support import solve_checked


def one(duration: int, **demands: int) -> tuple[Mode, ...]:
    return (Mode(duration, demands),)


def test_deadline_too_early() -> None:
    # a(3) -> b(4): b ends at 7 at the earliest, due 5. Dropping the due: 7.
    project = Project(
        activities=(Activity("a", one(3)), Activity("b", one(4), due=5)),
        precedences=(Precedence("a", "b"),),
    )
    assert solve_checked(project, time_limit=2).status is SolveStatus.INFEASIBLE
    d = diagnose(project, time_limit=5)
    assert not d.feasible
    assert d.conflicts == (("due", "b"),)
    assert d.earliest == {("due", "b"): 7}
    assert any("cannot end by 5" in t for t in d.trivial)


def test_milestone_due_and_capacity() -> None:
    # Two activities of 4 on one dev, milestone on both due 6: needs a second dev (+1),
    # or the milestone at 8.
    project = Project(
        activities=(Activity("a", one(4, dev=1)), Activity("b", one(4, dev=1))),
        resources=(Resource("dev", 1),),
        milestones=(Milestone("m", ("a", "b"), due=6),),
    )
    d = diagnose(project, time_limit=5)
    assert set(d.conflicts) == {("milestone-due", "m"), ("capacity", "dev")}
    assert d.earliest == {("milestone-due", "m"): 8}
    assert d.extra_capacity == {"dev": 1}
    assert d.extra_capacity_alone == {"dev": 1}


def test_capacity_zero_for_a_needed_resource() -> None:
    project = Project(
        activities=(Activity("a", one(2, gpu=2)),),
        resources=(Resource("gpu", 0),),
    )
    d = diagnose(project, time_limit=5)
    assert d.conflicts == (("capacity", "gpu"),)
    assert d.extra_capacity == {"gpu": 2}
    assert any("never has more than 0" in t for t in d.trivial)


def test_no_amount_of_one_resource_alone() -> None:
    # a needs gpu and dev, both at 0: neither alone suffices, both together do.
    project = Project(
        activities=(Activity("a", one(2, gpu=1, dev=1)),),
        resources=(Resource("gpu", 0), Resource("dev", 0)),
    )
    d = diagnose(project, time_limit=5)
    assert d.extra_capacity == {"gpu": 1, "dev": 1}
    assert d.extra_capacity_alone == {"gpu": None, "dev": None}


def test_budget_too_small() -> None:
    # The cheapest modes cost 3 + 4 = 7 > 5: the budget needs 7.
    project = Project(
        activities=(
            Activity("a", (Mode(1, {}, {"money": 5}), Mode(3, {}, {"money": 3}))),
            Activity("b", (Mode(1, {}, {"money": 4}),)),
        ),
        budgets=(Budget("money", 5),),
    )
    d = diagnose(project, time_limit=5)
    assert d.conflicts == (("budget", "money"),)
    assert d.budget_needed == {"money": 7}


def test_pin_conflicting_with_precedence() -> None:
    # a(3) -> b, b pinned at 1: impossible while the pin holds.
    project = Project(
        activities=(Activity("a", one(3)), Activity("b", one(1), fixed_start=1)),
        precedences=(Precedence("a", "b"),),
    )
    d = diagnose(project, time_limit=5)
    assert d.conflicts == (("pinned", "b"),)


def test_release_after_due() -> None:
    project = Project(activities=(Activity("a", one(2), release=5, due=6),))
    d = diagnose(project, time_limit=5)
    assert set(d.conflicts) == {("release", "a"), ("due", "a")}
    assert d.earliest == {("due", "a"): 7}


def test_feasible_project_says_so() -> None:
    assert diagnose(Project(activities=(Activity("a", one(2)),)), time_limit=2).feasible
