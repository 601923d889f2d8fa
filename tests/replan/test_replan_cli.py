"""``mlops-planner replan``: new plan file, change report in the terminal and as Markdown."""

from __future__ import annotations

from pathlib import Path

from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan, write_plan
from planner.scheduling.check_plan import check_plan
from planner.scheduling.replan import frame_replan
from tests.conftest import RunCli
from tests.planning import tiny
from tests.replan.worked import engagement, first_plan


def test_replan_writes_the_plan_and_the_change_report(tmp_path: Path, run_cli: RunCli) -> None:
    previous = first_plan(tmp_path / "first", engagement())
    write_plan(previous, tmp_path / "plan.json")
    path = tiny.write(
        tmp_path, engagement(done=("a", "c"), b={"status": "partial", "remaining": 0.3})
    )
    result = run_cli(
        [
            "replan",
            "plan.json",
            "--engagement",
            str(path),
            "--today",
            "2027-01-18",
            "--out",
            "new.json",
            "--changes",
            "changes.md",
            "--time-limit",
            "5",
        ],
        cwd=tmp_path,
    )
    assert result.exit_code == 0, result.stderr
    assert "Re-plan of Tiny on 2027-01-18" in result.stdout
    assert "new plan written to new.json" in result.stdout
    new = read_plan(tmp_path / "new.json")
    assert new.replanned_on is not None and new.item("b").state == "in-progress"
    workspace = frame_replan(open_workspace(path), previous, new.replanned_on).workspace
    assert check_plan(new, workspace) == []
    markdown = (tmp_path / "changes.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Re-plan of Tiny on 2027-01-18")
    heads = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert heads == ["## What changed", "## Progress", "## Technical notes"]
    assert "- ✓ A: finished by" in markdown


def test_a_bad_date_is_a_usage_error_and_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    write_plan(first_plan(tmp_path / "first", engagement()), tmp_path / "plan.json")
    path = tiny.write(tmp_path, engagement())
    args = ["replan", "plan.json", "-e", str(path), "--out", "new.json"]
    result = run_cli([*args, "--today", "18/01/2027"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "--today: expected a date like 2027-03-01, got '18/01/2027'" in result.stderr
    result = run_cli([*args, "--today", "2026-12-01"], cwd=tmp_path)
    assert result.exit_code == 2 and "before the previous plan's start" in result.stderr
    assert not (tmp_path / "new.json").exists()
