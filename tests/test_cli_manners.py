"""The command line's manners: ids never cut, no styling legend or next step when the output
is not a terminal, a short plan by default, help in words with an example, completion, and
messages for the wrong file that say what to do."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from planner.cli import views
from planner.errors import ExitCode
from planner.files.plan_file import write_plan
from tests.conftest import EXAMPLES, RunCli
from tests.planning import tiny
from tests.replan.worked import engagement, first_plan


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "bank-level1-to-3.yaml", tmp_path / "engagement.yaml")
    return tmp_path


def _width(monkeypatch: pytest.MonkeyPatch, columns: int, *, terminal: bool = False) -> None:
    monkeypatch.setattr(
        views, "console", Console(width=columns, highlight=False, force_terminal=terminal)
    )


@pytest.mark.parametrize("columns", [80, 200])
def test_no_capability_id_is_ever_cut(
    columns: int, bank: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.files.engagement_loader import open_workspace

    _width(monkeypatch, columns)
    gap = run_cli(["gap"], cwd=bank)
    assert gap.exit_code == ExitCode.OK, gap.stderr
    ids = open_workspace(bank / "engagement.yaml").gap.ids
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", gap.stdout))
    assert set(ids) <= words, sorted(set(ids) - words)
    assert "…" not in gap.stdout
    listing = run_cli(["catalog", "list", "--builtin"], cwd=bank)
    assert "…" not in listing.stdout
    assert "retraining-triggered-by-production-metrics" in listing.stdout
    assert max(len(line) for line in listing.stdout.splitlines()) <= columns


def test_a_plan_prints_a_summary_and_the_rest_with_details(
    bank: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _width(monkeypatch, 80)
    short = run_cli(["plan", "--time-limit", "5"], cwd=bank)
    assert short.exit_code == ExitCode.OK, short.stderr
    assert "Milestones" in short.stdout
    assert "Binding role: ML engineer" in short.stdout
    assert "Why each item" not in short.stdout and "Sprints" not in short.stdout
    assert len(short.stdout.splitlines()) < 60
    full = run_cli(["plan", "--time-limit", "5", "--details"], cwd=bank)
    assert "Why each item is there, and when" in full.stdout and "Sprints (2 weeks" in full.stdout
    # no styling legend, no next step: the output is not a terminal
    for said in (short.stdout, full.stdout):
        assert "bold: starts" not in said and "◆" not in said and "next:" not in said
        assert "--details:" not in said


def test_next_steps_only_at_a_terminal(
    bank: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "next:" not in run_cli(["gap"], cwd=bank).stdout
    _width(monkeypatch, 120, terminal=True)
    assert (
        "next: mlops-planner plan --engagement engagement.yaml --out plan.json"
        in run_cli(["gap"], cwd=bank).stdout
    )


COMMANDS = [
    ["init"],
    ["assess"],
    ["gap"],
    ["schema"],
    ["plan"],
    ["report"],
    ["push"],
    ["replan"],
    ["forecast"],
    ["compare"],
    ["catalog", "list"],
    ["catalog", "show"],
    ["catalog", "validate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_speaks_in_words_with_an_example(
    command: list[str], run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli([*command, "-h"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    python_types = r"<(int|float|str|path|file|dir|bool|list\[[^>]*|[a-z]+ range)>"
    assert not re.search(python_types, result.stdout), result.stdout  # <int>, <list[Path]>
    assert "Example: mlops-planner " + " ".join(command) in result.stdout


def test_shell_completion_is_offered(run_cli: RunCli, tmp_path: Path) -> None:
    said = run_cli(["-h"], cwd=tmp_path).stdout
    assert "--install-completion" in said and "--show-completion" in said


def test_a_missing_engagement_suggests_init(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["plan"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "engagement.yaml: file not found" in result.stderr
    assert "mlops-planner init engagement.yaml" in result.stderr


@pytest.mark.parametrize(
    ("content", "looks"),
    [
        (
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"},
            "a JSON Schema",
        ),
        (
            {"engagement": "x", "current": {}, "target": {}, "items": []},
            "the output of 'mlops-planner gap --json'",
        ),
        ([1, 2], "a list of 2 value(s)"),
    ],
)
def test_a_json_that_is_not_a_plan_says_what_it_looks_like(
    content: object, looks: str, run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(content), encoding="utf-8")
    result = run_cli(["report", "plan.json"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"this JSON is not a plan file: it looks like {looks}" in result.stderr
    assert "mlops-planner plan --out FILE" in result.stderr
    assert not (tmp_path / "roadmap.md").exists()


def test_a_plan_from_a_newer_tool_asks_for_an_upgrade(run_cli: RunCli, tmp_path: Path) -> None:
    write_plan(first_plan(tmp_path / "first", engagement()), tmp_path / "plan.json")
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    data["schema_version"] += 1
    (tmp_path / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli(["report", "plan.json"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "written by a newer mlops-planner" in result.stderr
    assert "upgrade the tool" in result.stderr and "re-create" not in result.stderr


def test_replan_prints_json_for_scripts(run_cli: RunCli, tmp_path: Path) -> None:
    write_plan(first_plan(tmp_path / "first", engagement()), tmp_path / "plan.json")
    tiny.write(tmp_path, engagement(done=("a",)))
    result = run_cli(
        [
            "replan",
            "plan.json",
            "--today",
            "2027-01-18",
            "-o",
            "new.json",
            "--json",
            "--time-limit",
            "5",
        ],
        cwd=tmp_path,
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    printed = json.loads(result.stdout)
    assert printed == json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))


def test_commands_that_report_results_print_json(run_cli: RunCli, tmp_path: Path) -> None:
    listing = json.loads(run_cli(["catalog", "list", "--builtin", "--json"], cwd=tmp_path).stdout)
    assert len(listing) == 34 and {"id", "level", "requires", "effort"} <= set(listing[0])
    shown = json.loads(
        run_cli(["catalog", "show", "experiment-tracking", "--json"], cwd=tmp_path).stdout
    )
    assert shown["id"] == "experiment-tracking" and shown["deliverables"]
    shutil.copy(EXAMPLES / "bank-level1-to-3.yaml", tmp_path / "engagement.yaml")
    (tmp_path / "answers.yaml").write_text("capabilities: {model-registry: done}\n")
    assessed = run_cli(["assess", "--answers", "answers.yaml", "--json"], cwd=tmp_path)
    assert assessed.exit_code == ExitCode.OK, assessed.stderr
    data = json.loads(assessed.stdout)
    assert data["overall"] == 1 and data["answered"] == 1 and "people" in data["areas"]


def test_replan_takes_a_target_like_gap_and_plan(run_cli: RunCli, tmp_path: Path) -> None:
    write_plan(first_plan(tmp_path / "first", engagement()), tmp_path / "plan.json")
    tiny.write(tmp_path, engagement())
    args = ["replan", "plan.json", "--today", "2027-01-18", "-o", "new.json"]
    result = run_cli([*args, "--target", "7"], cwd=tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "--target 7: level 7 does not exist; levels run 0 to 2" in result.stderr
    lower = run_cli([*args, "--target", "1", "--time-limit", "5", "--json"], cwd=tmp_path)
    assert lower.exit_code == ExitCode.OK, lower.stderr
    assert json.loads(lower.stdout)["target_level"] == 1
