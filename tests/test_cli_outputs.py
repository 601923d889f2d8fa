"""Outputs: never over an input plan, a plan of another engagement refused, the output
location checked before any solving, and report names and formats that agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import ExitCode
from planner.files.plan_file import read_plan, write_plan
from tests.conftest import RunCli
from tests.planning import tiny
from tests.replan.worked import engagement, first_plan


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A folder with the tiny engagement and its plan, plan.json."""
    write_plan(first_plan(tmp_path / "first", engagement()), tmp_path / "plan.json")
    tiny.write(tmp_path, engagement())
    return tmp_path


def test_replan_refuses_to_overwrite_its_previous_plan(planned: Path, run_cli: RunCli) -> None:
    before = (planned / "plan.json").read_bytes()
    result = run_cli(
        ["replan", "plan.json", "--today", "2027-01-18", "--out", "plan.json"], cwd=planned
    )
    assert result.exit_code == ExitCode.USAGE
    assert "--out plan.json is the previous plan; it would be overwritten" in result.stderr
    assert (planned / "plan.json").read_bytes() == before
    result = run_cli(
        [
            "replan",
            "plan.json",
            "--today",
            "2027-01-18",
            "-o",
            "new.json",
            "--changes",
            "./plan.json",
        ],
        cwd=planned,
    )
    assert result.exit_code == ExitCode.USAGE and "--changes plan.json is the previous plan" in (
        result.stderr
    )
    assert (planned / "plan.json").read_bytes() == before and not (planned / "new.json").exists()


def test_report_refuses_to_overwrite_the_plan_it_renders(planned: Path, run_cli: RunCli) -> None:
    result = run_cli(["report", "plan.json", "--format", "json", "--out", "plan.json"], cwd=planned)
    assert result.exit_code == ExitCode.USAGE
    assert "--out plan.json is the plan file; it would be overwritten" in result.stderr


def _other_engagement(folder: Path) -> Path:
    folder.mkdir()
    return tiny.write(folder, {**engagement(), "name": "Someone Else"})


def test_replan_refuses_a_plan_of_another_engagement(planned: Path, run_cli: RunCli) -> None:
    other = _other_engagement(planned / "other")
    args = ["replan", "plan.json", "-e", str(other), "--today", "2027-01-18", "-o", "new.json"]
    result = run_cli(args, cwd=planned)
    assert result.exit_code == ExitCode.USAGE
    assert (
        f"plan.json was made for 'Tiny', not for 'Someone Else' ({other}); pass --engagement "
        "with the file of 'Tiny', or --force" in result.stderr
    )
    assert not (planned / "new.json").exists()
    forced = run_cli([*args, "--force", "--time-limit", "5"], cwd=planned)
    assert forced.exit_code == ExitCode.OK, forced.stderr
    assert read_plan(planned / "new.json").engagement == "Someone Else"


def test_report_refuses_a_previous_plan_of_another_engagement(
    planned: Path, run_cli: RunCli
) -> None:
    other = _other_engagement(planned / "other")
    assert run_cli(["plan", "-e", str(other), "-o", "other.json"], cwd=planned).exit_code == 0
    args = ["report", "other.json", "--previous", "plan.json", "-o", "roadmap.md"]
    result = run_cli(args, cwd=planned)
    assert result.exit_code == ExitCode.USAGE
    assert "plan.json was made for 'Tiny', not for 'Someone Else'" in result.stderr
    assert "pass --previous a plan of 'Someone Else', or --force" in result.stderr
    assert not (planned / "roadmap.md").exists()
    assert run_cli([*args, "--force"], cwd=planned).exit_code == ExitCode.OK


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        ("/proc/plan.json", "cannot write /proc/plan.json: "),
        ("engagement.yaml/plan.json", "engagement.yaml is a file, not a folder"),
        ("catalog.yaml/deeper/plan.json", "catalog.yaml is a file, not a folder"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_solving(
    out: str, reason: str, planned: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.scheduling.planning as planning

    def no_solving(*args: object, **kwargs: object) -> None:
        raise AssertionError("solved before checking the output")

    monkeypatch.setattr(planning, "make_plan", no_solving)
    result = run_cli(["plan", "--out", out], cwd=planned)
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr


def test_a_report_that_cannot_be_written_says_why(planned: Path, run_cli: RunCli) -> None:
    result = run_cli(["report", "plan.json", "-o", "engagement.yaml/roadmap.md"], cwd=planned)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "cannot write engagement.yaml/roadmap.md: engagement.yaml is a file" in result.stderr


@pytest.mark.parametrize(
    ("args", "written", "start"),
    [
        (["--format", "html"], "roadmap.html", "<!DOCTYPE html>"),
        (["--format", "scope"], "scope.md", "# "),
        (["--format", "csv"], "roadmap.csv", "id,"),
        (["--out", "r.html"], "r.html", "<!DOCTYPE html>"),
        (["-o", "out/r.json"], "out/r.json", "{"),
        ([], "roadmap.md", "# "),
    ],
)
def test_report_names_the_file_from_the_format_and_the_format_from_the_file(
    args: list[str], written: str, start: str, planned: Path, run_cli: RunCli
) -> None:
    result = run_cli(["report", "plan.json", *args], cwd=planned)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert f"report written to {written}" in result.stdout
    text = (planned / written).read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith(start.lower()), text[:80]
    others = {"roadmap.md", "roadmap.html", "scope.md", "roadmap.csv"} - {written}
    assert not any((planned / name).exists() for name in others)


def test_a_plan_without_capabilities_gets_no_empty_report(planned: Path, run_cli: RunCli) -> None:
    import json

    data = json.loads((planned / "plan.json").read_text(encoding="utf-8"))
    data.update(items=[], milestones=[], sprints=[])
    (planned / "empty.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli(["report", "empty.json", "--format", "html"], cwd=planned)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "empty.json holds no capabilities: nothing to report" in result.stderr
    assert not (planned / "roadmap.html").exists()
