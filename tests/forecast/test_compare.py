"""Scenarios side by side, variants, and what extra people buy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.errors import UsageError
from planner.files.engagement_loader import open_workspace
from planner.forecast.compare import compare_workspaces, vary_workspace
from planner.forecast.variants import parse_variation, staffing_changes, vary
from tests.conftest import EXAMPLES, RunCli

BANK = EXAMPLES / "bank-level1-to-3.yaml"


def test_variations_set_the_place_they_name() -> None:
    engagement = open_workspace(BANK).engagement
    people = parse_variation("team.roles.ml-engineer.people=1,3")
    assert people.values == ("1", "3")
    assert vary(engagement, people, "3").team.roles["ml-engineer"].people == 3
    assert vary(engagement, parse_variation("target.level=2"), "2").target.level == 2
    with pytest.raises(UsageError, match="'ml-engineers' is not in the team"):
        vary(engagement, parse_variation("team.roles.ml-engineers.people=1"), "1")
    with pytest.raises(UsageError, match="not a int"):
        vary(engagement, people, "two")
    with pytest.raises(UsageError, match="write a place and its values"):
        parse_variation("target.level")
    changes = {(r, c): p for r, c, p, _ in staffing_changes(engagement)}
    assert changes[("ml-engineer", 1)] == 3 and changes[("ml-engineer", -1)] == 1


def test_one_column_per_variant_and_differences_from_the_first() -> None:
    named = vary_workspace(
        open_workspace(BANK), [parse_variation("team.roles.ml-engineer.people=1,2")]
    )
    report = compare_workspaces(named, what_helps_too=False, time_limit=2.0, samples=300, seed=0)
    assert report.comparison.labels == ("ml-engineer.people=1", "ml-engineer.people=2")
    tables = {t.title: t for t in report.comparison.tables}
    assert set(tables) == {"Level 2", "Level 3", "Totals"}
    optimal = next(r for r in tables["Level 3"].rows if r.label == "optimal date")
    one, two = (s.plan for s in report.scenarios)
    assert one is not None and two is not None
    assert optimal.cells[0].value == str(one.end) and optimal.cells[0].delta == ""
    weeks = (two.end - one.end).days / 7
    assert optimal.cells[1].delta == f"{weeks:+.1f} wk" and weeks < 0
    peak = next(r for r in tables["Totals"].rows if r.label == "peak ml-engineer")
    assert [c.value for c in peak.cells] == ["1", "2"]
    assert any(r.label == "85% likely by" for r in tables["Level 3"].rows)


def test_what_helps_in_words_best_buy_first(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "compare.json"
    result = run_cli(
        [
            "compare",
            str(BANK),
            "--what-helps",
            "--samples",
            "200",
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    helps = data["helps"]
    assert {(h["role"], h["change"]) for h in helps} >= {("ml-engineer", 1), ("ml-engineer", -1)}
    adding = [h for h in helps if h["change"] > 0 and h["days_gained"] > 0]
    worth = [h["days_gained"] / h["extra_cost"] for h in adding]
    assert worth == sorted(worth, reverse=True)
    for h in adding:
        assert "brings level 3 forward" in h["sentence"] and "EUR" in h["sentence"]
    html = run_cli(
        [
            "compare",
            str(BANK),
            str(EXAMPLES / "startup-level0-to-2.yaml"),
            "--samples",
            "200",
            "--format",
            "html",
            "-o",
            str(tmp_path / "c.html"),
        ]
    )
    assert html.exit_code == 0, html.stderr
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert page.count("<g>") == 2 and "bank-level1-to-3" in page and "<svg" in page
    bad = run_cli(["compare", str(BANK), str(BANK), "--vary", "target.level=3,4"])
    assert bad.exit_code == 2 and "exactly one file" in bad.stderr


@pytest.mark.parametrize("command", ["forecast", "compare"])
def test_help_gives_an_example(command: str, run_cli: RunCli) -> None:
    result = run_cli([command, "-h"])
    assert result.exit_code == 0
    assert f"Example: mlops-planner {command}" in result.stdout


def test_plan_says_what_extra_people_buy(run_cli: RunCli) -> None:
    result = run_cli(["plan", "-e", str(BANK), "--what-helps"])
    assert result.exit_code == 0, result.stderr
    said = result.stdout
    assert "What extra people buy" in said
    assert "A third ML engineer brings level 3 forward" in said
    assert "Level 3: optimal 2027-09-17, 85% likely by" in said
