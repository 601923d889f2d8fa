"""Malformed projects are rejected with every problem named."""

from __future__ import annotations

import pytest

from planner.engine import (
    Activity,
    Milestone,
    Mode,
    Objective,
    Precedence,
    Project,
    ProjectError,
    Resource,
    solve,
    validate_project,
)

A = Activity("a", (Mode(1, {}),))
B = Activity("b", (Mode(1, {}),))


@pytest.mark.parametrize(
    ("project", "fragment"),
    [
        (Project((A,), precedences=(Precedence("a", "x"),)), "unknown activity 'x'"),
        (Project((A,), milestones=(Milestone("m", ("x",)),)), "unknown activity 'x'"),
        (Project((Activity("a", (Mode(1, {"dev": 1}),)),)), "unknown resource 'dev'"),
        (Project((Activity("a", (Mode(1, {}, {"money": 1}),)),)), "unknown budget 'money'"),
        (Project((Activity("a", (Mode(-1, {}),)),)), "duration must be >= 0"),
        (Project((A, A)), "duplicate id"),
        (
            Project((A, B), precedences=(Precedence("a", "b"), Precedence("b", "a"))),
            "cycle",
        ),
        (Project((Activity("a", ()),)), "at least one mode"),
        (Project((Activity("a", (Mode(1, {}),), fixed_mode=2),)), "not a mode index"),
        (Project((A,), resources=(Resource("dev", -1),)), "capacities must be >= 0"),
        (Project((A,), resources=(Resource("dev", 1, ((5, 1), (2, 0))),)), "sorted"),
    ],
)
def test_invalid_projects_raise(project: Project, fragment: str) -> None:
    assert any(fragment in p for p in validate_project(project))
    with pytest.raises(ProjectError, match=fragment):
        solve(project, time_limit=1)


def test_cycle_is_spelled_out() -> None:
    project = Project((A, B), precedences=(Precedence("a", "b"), Precedence("b", "a")))
    assert any("a -> b -> a" in p for p in validate_project(project))


def test_unknown_objective_target() -> None:
    with pytest.raises(ProjectError, match="unknown milestones target 'nope'"):
        solve(Project((A,)), (Objective("milestones", ("nope",)),), time_limit=1)


def test_valid_project_has_no_problems() -> None:
    assert validate_project(Project((A, B), precedences=(Precedence("a", "b"),))) == []


def test_project_error_is_a_value_error() -> None:
    assert issubclass(ProjectError, ValueError)
