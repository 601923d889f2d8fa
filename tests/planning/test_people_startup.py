"""The three-person start-up example plans to level 2 through the command line: every piece
of work covered by the named people, the plan checked, the forecast re-levelled on them."""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from planner.errors import ExitCode
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan
from planner.scheduling.check_plan import check_plan
from tests.conftest import EXAMPLES, RunCli

STARTUP = EXAMPLES / "startup-three-people-level0-to-2.yaml"


def test_the_three_person_startup_plans_to_level_2(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run_cli(["plan", "--engagement", str(STARTUP), "--out", str(out), "--details"])
    assert result.exit_code == 0, result.stderr
    plan = read_plan(out)
    workspace = open_workspace(STARTUP)
    assert check_plan(plan, workspace) == []
    assert plan.solver.status == "optimal"
    assert plan.target_level == 2
    assert [m.level for m in plan.overall_milestones] == [1, 2]
    assert [p.name for p in plan.people] == ["Ana", "Bruno", "Chen"]
    # nobody anonymous in this team: every person-slot of every item is a named person
    for item in plan.items:
        assert sum(len(n) for n in item.assignees.values()) == sum(item.people.values())
    covered = {role for i in plan.items for role in i.assignees}
    assert {"software-engineer", "platform-engineer"} <= covered
    assert "Chen (" in result.stdout or "Bruno (" in result.stdout
    # the binding constraint is a person, by name (every wait here is for named people)
    assert re.search(r"Binding: (Ana|Bruno|Chen) \(\d+ capabilit", result.stdout)
    forecast = run_cli(["forecast", str(out), "--check", "--samples", "300"])
    assert forecast.exit_code == 0, forecast.stderr
    report = tmp_path / "roadmap.html"
    assert run_cli(["report", str(out), "--format", "html", "--out", str(report)]).exit_code == 0
    html = report.read_text(encoding="utf-8")
    assert "Ana (" in html and "Bruno" in html
    # Microsoft Project: a resource per person, assigned where the plan names them
    xml_file = tmp_path / "plan.xml"
    made = run_cli(["report", str(out), "--format", "msproject", "--out", str(xml_file)])
    assert made.exit_code == 0, made.stderr
    xml = xml_file.read_text(encoding="utf-8")
    assert "<Name>Ana</Name>" in xml and "<Name>Chen</Name>" in xml
    # the CSV and the workbook say who works on what, and each person's load
    csv_file = tmp_path / "plan.csv"
    assert run_cli(["report", str(out), "--format", "csv", "--out", str(csv_file)]).exit_code == 0
    rows = list(csv.DictReader(csv_file.read_text(encoding="utf-8").splitlines()))
    assert {row["id"]: row["who"] for row in rows} == {
        i.id: i.crew(plan.roles) for i in plan.items
    }
    book = tmp_path / "plan.xlsx"
    assert run_cli(["report", str(out), "--format", "xlsx", "--out", str(book)]).exit_code == 0
    load = openpyxl.load_workbook(book)["Load"]
    header = [cell.value for cell in load[1]]
    assert "Ana busy" in header and "Bruno available" in header


def test_the_same_three_by_title_only_cannot_start(run_cli: RunCli, tmp_path: Path) -> None:
    # Today's way of writing the team (one data scientist, data engineer, ML engineer, no
    # names): no software or platform engineer, so no plan.
    data: dict[str, Any] = yaml.safe_load(STARTUP.read_text(encoding="utf-8"))
    team = copy.deepcopy(data["team"])
    for person in team.pop("people"):
        team["roles"][person["roles"][0]]["people"] = 1
    team.pop("changes")  # they name people
    data["team"] = team
    path = tmp_path / "startup.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli(["plan", "--engagement", str(path)])
    assert result.exit_code == ExitCode.INFEASIBLE
    assert "+1 Platform/ops engineer, +1 Software engineer" in result.stderr
    assert (
        "or, if someone already in the team can do Platform/ops engineer or Software engineer "
        "work, name the people in team.people with every role each can cover"
    ) in result.stderr


def test_three_specialists_are_told_who_could_cover_before_hiring(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # The same three people, each naming only their main role: the one pair of new roles
    # that makes level 2 possible is said first, then the hires.
    data: dict[str, Any] = yaml.safe_load(STARTUP.read_text(encoding="utf-8"))
    for person in data["team"]["people"]:
        person["roles"] = person["roles"][:1]
        person.pop("efficiency", None)
    path = tmp_path / "startup.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli(["plan", "--engagement", str(path)])
    assert result.exit_code == ExitCode.INFEASIBLE
    fixes = result.stderr.split("What would make it possible:\n")[1].splitlines()
    assert fixes[0].startswith(
        "  - let Ana cover Platform/ops engineer work and Bruno cover Software engineer work "
        "(add platform-engineer to team.people[0].roles; add software-engineer to "
        "team.people[1].roles; at full speed, or give an efficiency): the target can then be "
        "reached on "
    )
    assert any("1 more Software engineer (team.roles.software-engineer)" in f for f in fixes)
