"""`report` writes every format for each example engagement, and each file is well formed.

The examples are planned once per module with a short solver time limit: a feasible plan
is enough here, the reports of an optimal one are checked against golden files elsewhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import icalendar
import openpyxl
import pytest

from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan, write_plan
from planner.plan import Plan
from planner.reports import FORMATS
from planner.scheduling.planning import make_plan

EXAMPLES = Path(__file__).parents[2] / "examples"
ENGAGEMENTS = ["bank-level1-to-3", "startup-level0-to-2", "retailer-level2-to-4"]
SUFFIX = {"markdown": "md", "scope": "md", "html": "html", "scope-html": "html"}
SUFFIX |= {"csv": "csv", "json": "json"}
SUFFIX |= {"msproject": "xml", "xlsx": "xlsx", "ical": "ics"}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Plan, Path]]:
    """Each example's plan and its plan file."""
    folder = tmp_path_factory.mktemp("plans")
    result = {}
    for name in ENGAGEMENTS:
        plan = make_plan(open_workspace(EXAMPLES / f"{name}.yaml"), time_limit=2.0, workers=1)
        write_plan(plan, folder / f"{name}.json")
        result[name] = (plan, folder / f"{name}.json")
    return result


ALL_FORMATS = [*FORMATS, "json"]
"""The reports' formats and the plan file itself, which the CLI writes as it is."""


def test_every_format_has_a_check() -> None:
    assert set(SUFFIX) == set(ALL_FORMATS)


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("name", ENGAGEMENTS)
def test_report_writes_a_well_formed_file(
    name: str,
    fmt: str,
    planned: dict[str, tuple[Plan, Path]],
    tmp_path: Path,
    run_cli: Callable[..., Any],
) -> None:
    plan, plan_file = planned[name]
    out = tmp_path / f"{name}-{fmt}.{SUFFIX[fmt]}"
    result = run_cli(["report", str(plan_file), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        titles = [r[0] for r in book["Plan"].iter_rows(min_row=2, values_only=True)]
        assert titles == [i.title for i in plan.items]
        return
    text = out.read_text(encoding="utf-8")
    assert text.strip()
    CHECKS[fmt](plan, text, plan_file)


def _html(plan: Plan, text: str, _: Path) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(text)
    assert parser.errors == []
    assert "<script" not in text.lower()


def _markdown(plan: Plan, text: str, _: Path) -> None:
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    for milestone in plan.overall_milestones:
        assert any(milestone.title in h and str(milestone.date) in h for h in headings), (
            milestone.title
        )


def _csv(plan: Plan, text: str, _: Path) -> list[list[str]]:
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows
    assert {len(row) for row in rows} == {len(header)}
    return [header, *rows]


def _items_csv(plan: Plan, text: str, plan_file: Path) -> None:
    header, *rows = _csv(plan, text, plan_file)
    assert [row[header.index("id")] for row in rows] == [i.id for i in plan.items]


def _json(plan: Plan, text: str, plan_file: Path) -> None:
    assert json.loads(text) == json.loads(plan_file.read_text(encoding="utf-8"))
    assert read_plan(plan_file) == plan


def _msproject(plan: Plan, text: str, _: Path) -> None:
    root = ElementTree.fromstring(text)
    ns = {"p": "http://schemas.microsoft.com/project"}
    names = [t.findtext("p:Name", namespaces=ns) for t in root.findall("p:Tasks/p:Task", ns)]
    assert {i.title for i in plan.items} <= set(names)


def _ical(plan: Plan, text: str, _: Path) -> None:
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == len(plan.milestones)


CHECKS: dict[str, Callable[[Plan, str, Path], object]] = {
    "msproject": _msproject,
    "ical": _ical,
    "markdown": _markdown,
    "scope": _markdown,
    "html": _html,
    "scope-html": _html,
    "csv": _items_csv,
    "json": _json,
}
