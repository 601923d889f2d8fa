"""Hostile text is escaped in every format; user templates are sandboxed; writes are atomic."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputError, UsageError
from planner.files.plan_file import write_plan
from planner.reports import render_report
from planner.reports.render import md_cell

from .fixture import hostile_plan, small_plan

TEXT_FORMATS = ["markdown", "scope"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_markdown_escapes_hostile_text(fmt: str) -> None:
    text = render_report(hostile_plan(), fmt)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    text = re.sub(r"```mermaid\n.*?```", "", text, flags=re.S)  # code: pipes are text there
    # every unescaped pipe is a column border: each table row has its header's columns
    tables: list[list[int]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            tables[-1].append(line.replace("\\|", "").count("|"))
        elif tables[-1]:
            tables.append([])
    assert len(tables) > 2
    for borders in tables:
        assert len(set(borders)) <= 1, borders
    assert "| pipes |" not in text.replace("\\| pipes \\|", "")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("<b>", "&lt;b&gt;"),
        ("`code`", "\\`code\\`"),
        ("# title", "\\# title"),
        ("- item", "\\- item"),
        ("two\nlines", "two lines"),
    ],
)
def test_md_cell(raw: str, escaped: str) -> None:
    assert md_cell(raw) == escaped


@pytest.mark.parametrize("fmt", ["csv"])
def test_csv_cells_cannot_be_formulas(fmt: str) -> None:
    rows = list(csv.reader(io.StringIO(render_report(hostile_plan(), fmt))))
    cells = [cell for row in rows for cell in row]
    assert cells
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@"}]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert any(c.startswith("'+1") for c in cells)
    assert any(c.startswith("'@SUM") for c in cells)


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="markdown"):
        render_report(small_plan(), "pdf")


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_user_template_cannot_escape_the_sandbox(tmp_path: Path, body: str) -> None:
    (tmp_path / "roadmap.md").write_text(f"# {{{{ plan.client }}}}\n{body}\n")
    with pytest.raises(InputError) as raised:
        render_report(small_plan(), "markdown", templates_dir=tmp_path)
    message = str(raised.value)
    assert "roadmap.md:2" in message
    assert "sandbox" in message


def test_sandbox_refusal_via_cli_exits_1_and_writes_nothing(
    tmp_path: Path, run_cli: Callable[[list[str]], Any]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "roadmap.md").write_text("{{ ''.__class__.__mro__ }}\n")
    plan_file, out = tmp_path / "plan.json", tmp_path / "roadmap.md"
    write_plan(small_plan(), plan_file)
    result = run_cli(
        ["report", str(plan_file), "--format", "markdown", "--out", str(out),
         "--templates", str(templates)],
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert "roadmap.md:1" in result.stderr
    assert "refused by the template sandbox" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "templates"]


def test_user_template_renders_and_others_fall_back(tmp_path: Path) -> None:
    (tmp_path / "roadmap.md").write_text("{{ plan.client | md }}: {{ plan.items | length }}\n")
    assert render_report(small_plan(), "markdown", templates_dir=tmp_path) == "Example Co: 4\n"
    assert render_report(small_plan(), "markdown") != "Example Co: 4\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("line one\n{% for x in %}\n", "roadmap.md:2"),
        ("ok\n{{ plan.no_such_field }}\n", "roadmap.md:2"),
        ("ok\n\n{{ 1 // 0 }}\n", "roadmap.md:3"),
    ],
)
def test_template_errors_name_file_and_line(tmp_path: Path, body: str, expected: str) -> None:
    (tmp_path / "roadmap.md").write_text(body)
    with pytest.raises(InputError, match=expected):
        render_report(small_plan(), "markdown", templates_dir=tmp_path)


def test_failing_half_way_leaves_no_file_and_keeps_an_existing_one(
    tmp_path: Path, run_cli: Callable[[list[str]], Any]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "roadmap.md").write_text(
        "{% for i in plan.items %}{{ i.id }}\n{% endfor %}{{ plan.items[99].id }}\n"
    )
    plan_file = tmp_path / "plan.json"
    write_plan(small_plan(), plan_file)
    out = tmp_path / "out" / "roadmap.md"
    args = ["report", str(plan_file), "--out", str(out), "--templates", str(templates)]
    assert run_cli(args).exit_code == 1
    assert not out.exists()
    assert not list(out.parent.glob("*")) if out.parent.exists() else True
    out.parent.mkdir(exist_ok=True)
    out.write_text("previous report\n")
    assert run_cli(args).exit_code == 1
    assert out.read_text() == "previous report\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["roadmap.md"]


def test_cli_writes_the_report(tmp_path: Path, run_cli: Callable[[list[str]], Any]) -> None:
    plan_file, out = tmp_path / "plan.json", tmp_path / "items.csv"
    write_plan(small_plan(), plan_file)
    result = run_cli(["report", str(plan_file), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stdout
    assert out.read_bytes().decode("utf-8") == render_report(small_plan(), "csv")
