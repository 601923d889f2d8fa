"""People with several skills: named people covering the roles a staffing option needs.

Worked by hand on the tiny catalog (working days from Monday 2027-01-04, day 0; focus 1):
a = 1 week of ML engineer (5 days); b (needs a) = 2 weeks of 1 ML engineer or 1 week of 2;
c = 1 week of data scientist; d (needs c) = 2 weeks of a data scientist and an ML engineer
together. Level 1 is {a, c}, level 2 everything. Every plan goes through the checker.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InfeasiblePlanError, InputError
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import plan_to_json, read_plan
from planner.plan import Plan
from planner.scheduling.check_plan import check_plan
from planner.scheduling.people import MAX_WAYS
from planner.scheduling.planning import make_plan
from planner.scheduling.replan import frame_replan, replan
from planner.workspace import Workspace
from tests.conftest import RunCli
from tests.planning import tiny

RATES = {"mle": {"people": 0, "day_rate": 1000}, "ds": {"people": 0, "day_rate": 800}}


def _team(people: list[dict[str, Any]], roles: dict[str, Any] | None = None) -> dict[str, Any]:
    data = tiny.engagement()
    team = dict(data["team"])  # type: ignore[call-overload]
    team["roles"] = RATES if roles is None else roles
    team["people"] = people
    data["team"] = team
    return data


def _open(folder: Path, data: dict[str, Any], catalog: dict[str, Any] | None = None) -> Workspace:
    return open_workspace(tiny.write(folder, data, catalog))


def _plan(workspace: Workspace) -> Plan:
    plan = make_plan(workspace, time_limit=5)
    assert check_plan(plan, workspace) == []
    return plan


def test_one_person_cannot_cover_two_roles_of_one_capability(tmp_path: Path) -> None:
    # Ana has both roles, but d needs a data scientist and an ML engineer at once.
    workspace = _open(tmp_path, _team([{"name": "Ana", "roles": ["mle", "ds"]}]))
    with pytest.raises(InfeasiblePlanError):
        make_plan(workspace, time_limit=5)


def test_a_two_skilled_person_and_a_specialist_hand_solved(tmp_path: Path) -> None:
    # Ana is the only ML engineer: a (5), b (10, alone) and d (10) all need her: 25 days.
    # Bo does c on days 0-4 beside a, then d's data science beside Ana. Level 1 (a, c) on
    # day 5; Ana covering c too would cost her 5 more days.
    people = [{"name": "Ana", "roles": ["mle", "ds"]}, {"name": "Bo", "roles": ["ds"]}]
    plan = _plan(_open(tmp_path, _team(people)))
    items = {i.id: i for i in plan.items}
    assert plan.solver.status == "optimal"
    assert max(i.end_day for i in plan.items) == 25
    assert {m.id: m.day for m in plan.overall_milestones} == {"level-1": 5, "level-2": 25}
    assert (items["a"].start_day, items["a"].end_day) == (0, 5)
    assert (items["c"].start_day, items["c"].end_day) == (0, 5)
    assert dict(items["a"].assignees) == {"mle": ("Ana",)}
    assert dict(items["c"].assignees) == {"ds": ("Bo",)}
    assert dict(items["b"].assignees) == {"mle": ("Ana",)}
    assert items["b"].option == 1 and items["b"].end_day - items["b"].start_day == 10
    assert dict(items["d"].assignees) == {"ds": ("Bo",), "mle": ("Ana",)}
    # cost: each person's day at the rate of the role they cover
    assert items["d"].cost == 10 * 800 + 10 * 1000
    assert plan.total_cost == 5 * 1000 + 10 * 1000 + 5 * 800 + 18000
    assert items["d"].crew({"mle": "ML engineer", "ds": "Data scientist"}) == (
        "Bo (Data scientist), Ana (ML engineer)"
    )
    # the later of b and d waits for Ana, by name, on exactly what she is busy on
    later = max((items["b"], items["d"]), key=lambda i: i.start_day)
    assert later.start_day == 15
    assert later.start_reason is not None and later.start_reason.kind == "people-busy"
    assert later.why_then.startswith("waits for Ana: busy on ")
    # the load chart's rows are the people, by name
    assert plan.sprints[0].busy["Ana"] == 1.0 and plan.sprints[0].available["Bo"] == 1.0


def test_a_secondary_role_at_half_speed_doubles_the_time_and_the_pay(tmp_path: Path) -> None:
    # Only Bo, an ML engineer at half speed: a takes 10 days, paid 10 days of his own rate.
    catalog = dict(tiny.CATALOG)
    catalog["capabilities"] = [tiny.CATALOG["capabilities"][0]]  # type: ignore[index]
    people = [{"name": "Bo", "roles": ["ds", "mle"], "efficiency": {"mle": 0.5}, "day_rate": 600}]
    data = _team(people)
    data["target"] = {"level": 1}
    plan = _plan(_open(tmp_path, data, catalog))
    (item,) = plan.items
    assert (item.start_day, item.end_day, item.efficiency) == (0, 10, 0.5)
    assert item.cost == 6000 and item.person_days == 10
    assert dict(item.assignees) == {"mle": ("Bo",)}
    assert item.duration_range is not None and item.duration_range.likely == 10


def test_named_and_anonymous_people_together_hand_solved(tmp_path: Path) -> None:
    # One anonymous ML engineer (M) and Ana (mle; ds at half speed). Ana is the only data
    # scientist: c takes her 10 days, d 20 (at her pace), with M as d's ML engineer (she
    # cannot cover both roles of d). So d ends on day 30 at best, and only if it runs on
    # [10, 30) with M, leaving M days 0-10 for a (5) and b, which needs 10 alone or Ana
    # too: impossible. With b after a on M ([5, 15)) or after d, the target is day 35.
    people = [{"name": "Ana", "roles": ["mle", "ds"], "efficiency": {"ds": 0.5}}]
    roles = {"mle": {"people": 1, "day_rate": 1000}, "ds": {"people": 0, "day_rate": 800}}
    plan = _plan(_open(tmp_path, _team(people, roles)))
    items = {i.id: i for i in plan.items}
    assert plan.solver.status == "optimal"
    assert max(i.end_day for i in plan.items) == 35
    assert dict(items["c"].assignees) == {"ds": ("Ana",)}
    assert dict(items["d"].assignees) == {"ds": ("Ana",)}
    assert items["d"].end_day - items["d"].start_day == 20 and items["d"].efficiency == 0.5
    assert items["d"].crew() == "Ana (ds), 1 mle"


def test_people_plans_are_the_same_byte_for_byte(tmp_path: Path) -> None:
    people = [
        {"name": "Ana", "roles": ["mle", "ds"]},
        {"name": "Bo", "roles": ["ds", "mle"]},
        {"name": "Cy", "roles": ["ds"]},
    ]
    workspace = _open(tmp_path, _team(people))
    first, second = _plan(workspace), _plan(workspace)
    assert plan_to_json(first) == plan_to_json(second)
    # Ana and Bo are interchangeable: one skill group, named lowest free name first
    named = [n for i in first.items for ns in i.assignees.values() for n in ns]
    assert "Ana" in named


def test_a_team_too_combinatorial_is_refused_with_the_fix(tmp_path: Path) -> None:
    # 21 people with distinct rates (so none are interchangeable), all able to do both
    # roles: d (1 ds + 1 mle) has 21 x 20 ways, none dominating another: over the limit.
    people = [{"name": f"P{n}", "roles": ["mle", "ds"], "day_rate": 500 + n} for n in range(21)]
    workspace = _open(tmp_path, _team(people))
    with pytest.raises(InputError) as raised:
        make_plan(workspace, time_limit=5)
    text = str(raised.value.problems[0])
    assert f"at most {MAX_WAYS}" in text and "the same roles, efficiencies and day rate" in text


def test_a_replan_continues_work_in_progress_with_the_same_people(tmp_path: Path) -> None:
    # The hand-solved plan above, re-planned on Wednesday 2027-01-13 (day 7): whichever of b
    # and d started on day 5 is in progress and continues with the people it had.
    people = [{"name": "Ana", "roles": ["mle", "ds"]}, {"name": "Bo", "roles": ["ds"]}]
    workspace = _open(tmp_path, _team(people))
    first = _plan(workspace)
    today = date(2027, 1, 13)
    new = replan(workspace, first, today, time_limit=5).plan
    assert check_plan(new, frame_replan(workspace, first, today).workspace) == []
    (going,) = [i for i in new.items if i.state == "in-progress"]
    assert going.start == today
    assert dict(going.assignees) == dict(first.item(going.id).assignees)
    assert max(i.end_day for i in new.items) == 25


def test_infeasible_first_asks_whether_someone_can_cover_the_role(tmp_path: Path) -> None:
    # Two ML engineers, no data scientist: c and d cannot be staffed. Either of them taking
    # on data science makes it possible (c by one, d by both), before any hire.
    people = [{"name": "Ana", "roles": ["mle"]}, {"name": "Bo", "roles": ["mle"]}]
    workspace = _open(tmp_path, _team(people))
    with pytest.raises(InfeasiblePlanError) as raised:
        make_plan(workspace, time_limit=5)
    text = raised.value.message
    fixes = text.split("What would make it possible:")[1].splitlines()[1:]
    assert fixes[0].startswith(
        "  - let Ana cover Data scientist work (add ds to team.people[0].roles; at full speed"
    )
    assert "let Bo cover Data scientist work (add ds to team.people[1].roles" in fixes[1]
    assert any("+1 Data scientist" in fix for fix in fixes[2:])
    # the fix, applied, plans
    people[0]["roles"] = ["mle", "ds"]
    assert _plan(_open(tmp_path, _team(people))).items


def test_a_named_person_away_for_a_week_hand_solved(tmp_path: Path) -> None:
    # Ana (the only ML engineer) is away Monday 2027-01-11 to Friday 2027-01-15 (days 5-9).
    # Her 25 days of work (a, b, d) go around it: a on days 0-4, then b and d from day 10:
    # the target moves from day 25 to day 30, and the first of them waits for her by name.
    people = [{"name": "Ana", "roles": ["mle", "ds"]}, {"name": "Bo", "roles": ["ds"]}]
    data = _team(people)
    away = {"person": "Ana", "change": -1, "from": date(2027, 1, 11), "until": date(2027, 1, 15)}
    data["team"]["changes"] = [away]
    workspace = _open(tmp_path, data)
    plan = _plan(workspace)
    items = {i.id: i for i in plan.items}
    assert max(i.end_day for i in plan.items) == 30
    assert (items["a"].start_day, items["a"].end_day) == (0, 5)
    first = min((items["b"], items["d"]), key=lambda i: i.start_day)
    assert first.start_day == 10
    assert first.start_reason is not None and first.start_reason.kind == "people-absent"
    assert first.why_then == (
        "waits for Ana: away or not in the team yet on 2027-01-15 (team.changes); back or "
        "joining from 2027-01-18"
    )
    # her calendar in the plan: the forecast and the load chart read it
    assert [(s.day, s.people) for s in plan.capacity["Ana"]] == [(0, 1), (5, 0), (10, 1)]
    assert plan.sprints[0].available["Ana"] == 0.5 and plan.sprints[0].available["Bo"] == 1.0
    assert plan.team_changes[0].person == "Ana"
    # the checker catches Ana put to work while she is away
    moved = replace(first, start_day=5, end_day=15)
    broken = replace(plan, items=tuple(moved if i.id == first.id else i for i in plan.items))
    assert any("Ana: works on" in problem for problem in check_plan(broken, workspace))


def test_a_person_who_joins_later_is_not_planned_before(tmp_path: Path) -> None:
    # Bo, the only data scientist, joins on Monday 2027-01-18 (day 10): c waits for him.
    people = [{"name": "Ana", "roles": ["mle"]}, {"name": "Bo", "roles": ["ds"]}]
    data = _team(people)
    data["team"]["changes"] = [{"person": "Bo", "change": 1, "from": date(2027, 1, 18)}]
    plan = _plan(_open(tmp_path, data))
    items = {i.id: i for i in plan.items}
    assert items["c"].start_day == 10 and dict(items["c"].assignees) == {"ds": ("Bo",)}
    assert items["c"].start_reason is not None
    assert items["c"].start_reason.kind == "people-absent"


def test_a_replan_after_someone_books_a_holiday_names_them(tmp_path: Path, run_cli: RunCli) -> None:
    people = [{"name": "Ana", "roles": ["mle", "ds"]}, {"name": "Bo", "roles": ["ds"]}]
    data = _team(people)
    path = tiny.write(tmp_path, data)
    first = run_cli(["plan", "--engagement", str(path), "--out", "plan.json"], cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    away = {"person": "Ana", "change": -1, "from": date(2027, 1, 11), "until": date(2027, 1, 15)}
    data["team"]["changes"] = [away]
    tiny.write(tmp_path, data)
    args = ["replan", "plan.json", "--engagement", str(path), "--today", "2027-01-06"]
    again = run_cli([*args, "--out", "new.json", "--changes", "changes.md"], cwd=tmp_path)
    assert again.exit_code == 0, again.stderr
    new = read_plan(tmp_path / "new.json")
    workspace = open_workspace(path)
    assert (
        check_plan(
            new,
            frame_replan(workspace, read_plan(tmp_path / "plan.json"), date(2027, 1, 6)).workspace,
        )
        == []
    )
    assert max(i.end_day for i in new.items) == 30
    changes = (tmp_path / "changes.md").read_text(encoding="utf-8")
    assert "The team changed: Ana is away from 2027-01-11 to 2027-01-15." in changes
