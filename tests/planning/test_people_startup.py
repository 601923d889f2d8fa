"""The three-person start-up example plans to level 2 through the command line: every piece
of work covered by the named people, the plan checked, the forecast re-levelled on them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

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
    forecast = run_cli(["forecast", str(out), "--check", "--samples", "300"])
    assert forecast.exit_code == 0, forecast.stderr
    report = tmp_path / "roadmap.html"
    assert run_cli(["report", str(out), "--format", "html", "--out", str(report)]).exit_code == 0
    html = report.read_text(encoding="utf-8")
    assert "Ana (" in html and "Bruno" in html


def test_the_same_three_by_title_only_cannot_start(run_cli: RunCli, tmp_path: Path) -> None:
    # Today's way of writing the team (one data scientist, data engineer, ML engineer, no
    # names): no software or platform engineer, so no plan.
    data: dict[str, Any] = yaml.safe_load(STARTUP.read_text(encoding="utf-8"))
    team = copy.deepcopy(data["team"])
    for person in team.pop("people"):
        team["roles"][person["roles"][0]]["people"] = 1
    data["team"] = team
    path = tmp_path / "startup.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli(["plan", "--engagement", str(path)])
    assert result.exit_code == ExitCode.INFEASIBLE
    assert "+1 Platform/ops engineer, +1 Software engineer" in result.stderr
