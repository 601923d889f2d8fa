"""The checker finds each kind of violation; explanations and slack on a worked example."""

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
    Schedule,
    check_schedule,
    explain_starts,
    greedy_schedule,
    slack,
)

# One dev until 10, none after. design(2) -> build(3, lag 1); test(2) is independent.
PROJECT = Project(
    activities=(
        Activity("design", (Mode(2, {"dev": 1}, {"money": 2}),)),
        Activity("build", (Mode(3, {"dev": 1}, {"money": 3}),)),
        Activity("test", (Mode(2, {"dev": 1}),), release=1),
        Activity("launch", (Mode(0, {}),), fixed_start=8),
    ),
    resources=(Resource("dev", 1, steps=((10, 0),)),),
    precedences=(Precedence("design", "build", lag=1),),
    budgets=(Budget("money", 5),),
    milestones=(Milestone("done", ("build", "test"), due=8),),
)
# design [0,2), test [2,4) (dev busy before), build [4,7) (design ends 2 + lag 1 = 3, but the
# dev is busy with test until 4), launch pinned at 8.
GOOD = Schedule(
    {"design": 0, "test": 2, "build": 4, "launch": 8},
    dict.fromkeys(("design", "build", "test", "launch"), 0),
)


def test_good_schedule_has_no_violations() -> None:
    assert check_schedule(PROJECT, GOOD) == []
    assert check_schedule(PROJECT, GOOD, (Objective("makespan"),), {"makespan": 8}) == []


def kinds(schedule: Schedule, project: Project = PROJECT) -> set[str]:
    return {v.kind for v in check_schedule(project, schedule)}


def test_each_violation_is_found() -> None:
    moved = {**GOOD.starts}
    assert kinds(Schedule({**moved, "build": 2}, GOOD.modes)) >= {"precedence", "capacity"}
    assert kinds(Schedule({**moved, "test": 0, "design": 2, "build": 5}, GOOD.modes)) == {"release"}
    assert kinds(Schedule({**moved, "launch": 9}, GOOD.modes)) == {"pinned"}
    assert "milestone-due" in kinds(Schedule({**moved, "test": 7}, GOOD.modes))
    assert "capacity" in kinds(Schedule({**moved, "test": 9}, GOOD.modes))  # dev gone at 10
    poor = Project(
        PROJECT.activities, PROJECT.resources, PROJECT.precedences, (Budget("money", 4),)
    )
    assert kinds(GOOD, poor) == {"budget"}
    missing = Schedule({k: v for k, v in moved.items() if k != "test"}, GOOD.modes)
    assert kinds(missing) == {"missing"}
    claimed = check_schedule(PROJECT, GOOD, (Objective("makespan"),), {"makespan": 7})
    assert [v.kind for v in claimed] == ["objective"]


def test_violation_messages_name_the_place() -> None:
    (v,) = check_schedule(PROJECT, Schedule({**GOOD.starts, "launch": 9}, GOOD.modes))
    assert "launch" in str(v) and "9" in str(v)
    overload = check_schedule(PROJECT, Schedule({**GOOD.starts, "test": 1}, GOOD.modes))
    assert any("'dev'" in str(v) and "time 1" in str(v) for v in overload)


def test_explain_starts() -> None:
    reasons = explain_starts(PROJECT, GOOD)
    assert reasons["design"].kind == "origin"
    assert reasons["launch"].kind == "pinned"
    assert (reasons["test"].kind, reasons["test"].resource, reasons["test"].time) == (
        "resource",
        "dev",
        1,
    )
    assert (reasons["build"].kind, reasons["build"].resource) == ("resource", "dev")
    late = Schedule({**GOOD.starts, "test": 5, "build": 3}, GOOD.modes)
    assert explain_starts(PROJECT, late)["build"].kind == "precedence"
    assert explain_starts(PROJECT, late)["build"].activity == "design"


def test_slack() -> None:
    # makespan 8 (launch). build ends 7: slack 1; design: build's latest start 5 - lag 1 - 2 = 2.
    assert slack(PROJECT, GOOD) == {"design": 2, "build": 1, "test": 4, "launch": 0}


def test_greedy_respects_everything_here() -> None:
    schedule = greedy_schedule(PROJECT)
    assert schedule is not None
    assert check_schedule(PROJECT, schedule) == []
