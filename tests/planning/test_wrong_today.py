"""Defects found by an outside checker, each reproduced on a worked example (hand-checked).

Working days from Monday 2027-01-04 (day 0); every plan goes through the plan checker.
"""

from __future__ import annotations

import ast
import copy
import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.calendar import WorkCalendar
from planner.engine import Activity, Mode, Precedence, Project, Resource, check_schedule, solve
from planner.files.engagement_loader import open_workspace
from planner.plan import Plan
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from planner.scheduling.roadmap import role_resources
from planner.workspace import Workspace
from tests.planning import tiny


def _open(folder: Path, data: dict[str, Any], catalog: dict[str, Any] | None = None) -> Workspace:
    return open_workspace(tiny.write(folder, data, catalog))


def _plan(workspace: Workspace) -> Plan:
    plan = make_plan(workspace, time_limit=5)
    assert check_plan(plan, workspace) == []
    return plan


def _with_team(**changes: Any) -> dict[str, Any]:
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    team.update(changes)
    data["team"] = team
    return data


def _capability(catalog: dict[str, Any], cap_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in catalog["capabilities"] if c["id"] == cap_id)
    return found


def _resources(workspace: Workspace) -> tuple[Resource, ...]:
    team = workspace.engagement.team
    calendar = WorkCalendar(team.start, team.sprint_weeks)
    return role_resources(workspace.engagement, calendar, workspace.catalog.roles)


def test_an_absence_before_the_start_changes_nothing(tmp_path: Path) -> None:
    # The data scientist's week off ends on Friday 2027-01-01, before the plan's Monday
    # start: the team must stay whole (it used to lose its data scientist for good).
    plain = _open(tmp_path, tiny.engagement())
    away = [{"role": "ds", "change": -1, "from": date(2026, 12, 28), "until": date(2027, 1, 1)}]
    workspace = _open(tmp_path, _with_team(changes=away))
    assert _resources(workspace) == _resources(plain)
    assert _plan(workspace).end == _plan(plain).end


def test_a_weekend_absence_changes_nothing(tmp_path: Path) -> None:
    # Saturday 2027-01-16 to Sunday 2027-01-17: no working day is lost.
    plain = _open(tmp_path, tiny.engagement())
    away = [{"role": "mle", "change": -1, "from": date(2027, 1, 16), "until": date(2027, 1, 17)}]
    workspace = _open(tmp_path, _with_team(changes=away))
    assert _resources(workspace) == _resources(plain)
    assert _plan(workspace).end == _plan(plain).end


def test_an_absence_across_the_start_ends_when_it_ends(tmp_path: Path) -> None:
    # Away from before the start until Tuesday 2027-01-05: back on day 2.
    away = [{"role": "ds", "change": -1, "from": date(2026, 12, 28), "until": date(2027, 1, 5)}]
    workspace = _open(tmp_path, _with_team(changes=away))
    ds = next(r for r in _resources(workspace) if r.id == "ds")
    assert [ds.capacity_at(t) for t in range(4)] == [0, 0, 1, 1]


def test_nobody_of_the_role_is_said_with_the_day_someone_returns(tmp_path: Path) -> None:
    # The only data scientist is away days 0-4 (2027-01-04 to 2027-01-08): c (ds, 5 days)
    # starts on Monday 2027-01-11, day 5, when she is back; nobody else holds the role.
    away = [{"role": "ds", "change": -1, "from": date(2027, 1, 4), "until": date(2027, 1, 8)}]
    plan = _plan(_open(tmp_path, _with_team(changes=away)))
    c = plan.item("c")
    assert c.start_day == 5
    assert c.start_reason is not None and c.start_reason.kind == "role-absent"
    assert c.start_reason.until == date(2027, 1, 11) and c.start_reason.busy_on == ()
    assert "nobody of that role in the team on 2027-01-08" in c.why_then
    assert "busy" not in c.why_then


def test_too_few_people_for_the_option_is_said_as_such(tmp_path: Path) -> None:
    # b only has its 2-engineer option (1 week); the second engineer joins on Monday
    # 2027-02-01 (day 20). a (days 0-5) then b waits: one engineer is free, two are needed.
    catalog: dict[str, Any] = copy.deepcopy(tiny.CATALOG)
    b_cap = _capability(catalog, "b")
    b_cap["effort"] = [{"weeks": 1, "people": {"mle": 2}}]
    data = _with_team(changes=[{"role": "mle", "change": 1, "from": date(2027, 2, 1)}])
    plan = _plan(_open(tmp_path, data, catalog))
    b = plan.item("b")
    assert b.start_day == 20
    reason = b.start_reason
    assert reason is not None and reason.kind == "role-short"
    assert (reason.needed, reason.available, reason.until) == (2, 1, date(2027, 2, 1))
    assert "needs 2, the team has 1" in b.why_then


def test_busy_people_are_named_with_their_work(tmp_path: Path) -> None:
    # One ML engineer: a (0-5), b (5-15); d needs the engineer and the data scientist and
    # waits for the engineer busy on b (or on a, by the tie-break): the work is named.
    plan = _plan(_open(tmp_path, tiny.engagement()))
    waiting = [i for i in plan.items if i.start_reason and i.start_reason.kind == "role-busy"]
    assert waiting
    for item in waiting:
        assert item.start_reason is not None
        assert item.start_reason.busy_on
        assert all(other in item.why_then for other in item.start_reason.busy_on)


def test_a_lag_is_never_rounded_down_and_is_said(tmp_path: Path) -> None:
    # b requires a with a lag of half a week: 2.5 working days, so 3 (it was 2).
    catalog: dict[str, Any] = copy.deepcopy(tiny.CATALOG)
    b = _capability(catalog, "b")
    b["requires"] = [{"id": "a", "lag_weeks": 0.5}]
    roles = {"mle": {"people": 2, "day_rate": 1000}, "ds": {"people": 1, "day_rate": 800}}
    plan = _plan(_open(tmp_path, _with_team(roles=roles), catalog))
    a, b_item = plan.item("a"), plan.item("b")
    assert b_item.start_day == a.end_day + 3
    assert "lag of 3 working days" in b_item.why_then


def test_an_unknown_answer_keeps_the_checked_greedy_schedule() -> None:
    # So little time that CP-SAT stops before its first solution: the greedy warm start,
    # which passed the checker, is returned, marked unproven (it used to be thrown away).
    rng = random.Random(3)
    activities = tuple(
        Activity(
            f"a{i}",
            (Mode(rng.randint(1, 9), {"r": rng.randint(1, 3)}), Mode(rng.randint(1, 9), {"s": 1})),
        )
        for i in range(120)
    )
    precedences = tuple(
        Precedence(f"a{j}", f"a{i}") for i in range(1, 120) for j in rng.sample(range(i), 1)
    )
    project = Project(activities, (Resource("r", 4), Resource("s", 2)), precedences)
    result = solve(project, time_limit=1e-9)
    assert result.schedule is not None
    assert result.unproven_fallback and result.stages[0].bound is None
    assert check_schedule(project, result.schedule) == []


def test_the_plan_checker_catches_false_reasons_and_lags(tmp_path: Path) -> None:
    # The old wording for b's wait ("every ML engineer is busy") is false on 2027-01-29:
    # one engineer is free, b needs two; the checker says so. A lag rounded down is caught.
    catalog: dict[str, Any] = copy.deepcopy(tiny.CATALOG)
    _capability(catalog, "b")["effort"] = [{"weeks": 1, "people": {"mle": 2}}]
    data = _with_team(changes=[{"role": "mle", "change": 1, "from": date(2027, 2, 1)}])
    workspace = _open(tmp_path, data, catalog)
    plan = _plan(workspace)
    b = plan.item("b")
    assert b.start_reason is not None
    busy = replace(b.start_reason, kind="role-busy", available=0, busy_on=("d",))
    lied = replace(
        plan, items=tuple(replace(i, start_reason=busy) if i is b else i for i in plan.items)
    )
    assert any("b: reason 'role-busy'" in v for v in check_plan(lied, workspace))
    absent = replace(b.start_reason, kind="role-absent")
    lied = replace(
        plan, items=tuple(replace(i, start_reason=absent) if i is b else i for i in plan.items)
    )
    assert any("the team has 1" in v for v in check_plan(lied, workspace))

    catalog = copy.deepcopy(tiny.CATALOG)
    _capability(catalog, "b")["requires"] = [{"id": "a", "lag_weeks": 0.5}]
    workspace = _open(tmp_path, tiny.engagement(), catalog)
    plan = _plan(workspace)
    a, b = plan.item("a"), plan.item("b")
    early = replace(b, start_day=a.end_day + 2, end_day=a.end_day + 2 + (b.end_day - b.start_day))
    moved = replace(plan, items=tuple(early if i is b else i for i in plan.items))
    assert any("before its prerequisite a ends" in v for v in check_plan(moved, workspace))


def test_the_plan_checker_imports_nothing_it_judges() -> None:
    def imports(path: Path) -> set[str]:
        imported = {
            node.module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        return {m for m in imported if m.startswith("planner")}

    checker = Path(check_plan.__code__.co_filename)
    # its part on named people lives beside it, under the same rule
    assert imports(checker) == {
        "planner.plan",
        "planner.workspace",
        "planner.scheduling.check_people",
    }
    assert imports(checker.with_name("check_people.py")) == {"planner.plan", "planner.workspace"}
