"""Random small projects: every schedule passes the checker; tiny ones match brute force."""

from __future__ import annotations

from dataclasses import replace

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
    SolveStatus,
    check_schedule,
    greedy_schedule,
)
from planner.engine.justify import improved_greedy, justify
from tests.engine._engine_support import brute_force_makespan, solve_checked


@st.composite
def projects(draw: st.DrawFn, max_activities: int = 8, max_duration: int = 5) -> Project:
    n = draw(st.integers(1, max_activities))
    resources = []
    for r in range(draw(st.integers(1, 3))):
        capacity = draw(st.integers(1, 3))
        steps: tuple[tuple[int, int], ...] = ()
        if draw(st.booleans()):
            at = draw(st.integers(1, 8))
            steps = ((at, draw(st.integers(0, 3))),)
            if draw(st.booleans()):
                steps += ((at + draw(st.integers(1, 4)), capacity),)
        resources.append(Resource(f"r{r}", capacity, steps))
    with_budget = draw(st.booleans())
    activities = []
    for i in range(n):
        modes = []
        for _ in range(draw(st.integers(1, 2))):
            demands = {
                r.id: draw(st.integers(0, r.capacity)) for r in resources if draw(st.booleans())
            }
            cost = {"money": draw(st.integers(0, 4))} if with_budget else {}
            modes.append(Mode(draw(st.integers(0, max_duration)), demands, cost))
        release = draw(st.sampled_from([0, 0, 0, 1, 3]))
        due = draw(st.one_of(st.none(), st.none(), st.integers(2, 12)))
        activities.append(Activity(f"a{i}", tuple(modes), release=release, due=due))
    precedences = tuple(
        Precedence(f"a{i}", f"a{j}", lag=draw(st.sampled_from([0, 0, 1, 2])))
        for i in range(n)
        for j in range(i + 1, n)
        if draw(st.integers(0, 3)) == 0
    )
    budgets = (Budget("money", draw(st.integers(0, 3 * n))),) if with_budget else ()
    milestones = (
        Milestone("m", (f"a{n - 1}",), due=draw(st.one_of(st.none(), st.integers(3, 15)))),
    )
    return Project(tuple(activities), tuple(resources), precedences, budgets, milestones)


SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(projects())
def test_solver_schedules_pass_the_checker(project: Project) -> None:
    result = solve_checked(project, (Objective("makespan"), Objective("starts")), time_limit=2.0)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE, SolveStatus.FEASIBLE)
    assert (result.schedule is None) == (result.status is SolveStatus.INFEASIBLE)


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(projects(max_activities=5, max_duration=3))
def test_tiny_projects_match_brute_force(project: Project) -> None:
    result = solve_checked(project, time_limit=2.0)
    expected = brute_force_makespan(project)
    if expected is None:
        assert result.status is SolveStatus.INFEASIBLE
    else:
        assert result.status is SolveStatus.OPTIMAL
        assert result.objective_values["makespan"] == expected


@settings(deadline=None, max_examples=100)
@given(projects())
def test_greedy_and_justified_schedules_pass_the_checker(project: Project) -> None:
    # Greedy is a heuristic: it honours releases, precedences, capacities and budgets, not
    # necessarily dues, so check it on the project without dues.
    loose = replace(
        project,
        activities=tuple(replace(a, due=None) for a in project.activities),
        milestones=(),
    )
    schedule = greedy_schedule(loose)
    if schedule is None:
        return
    assert check_schedule(loose, schedule) == []
    better = justify(loose, schedule)
    assert check_schedule(loose, better) == []
    assert better.makespan(loose) <= schedule.makespan(loose)
    sampled = improved_greedy(loose)
    assert sampled is not None and check_schedule(loose, sampled) == []
