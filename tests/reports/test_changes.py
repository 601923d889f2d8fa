"""Reports of a re-plan: the previous plan's bars faintly behind the new ones, today's line,
done and in-progress work marked, and what changed (HTML and Markdown)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest

from planner.errors import UsageError
from planner.files.plan_file import write_plan
from planner.reports import figures, render_report

from .fixture import HOSTILE, hostile, previous_plan, replanned_plan, small_plan

GOLDEN = Path(__file__).parent / "golden"
FILES = {"markdown": "replan-roadmap.md", "html": "replan-roadmap.html"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_report_with_a_previous_plan_matches_golden_file(fmt: str) -> None:
    rendered = render_report(replanned_plan(), fmt, previous=previous_plan())
    golden = GOLDEN / FILES[fmt]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered.encode("utf-8"))
    assert rendered == golden.read_bytes().decode("utf-8")


def _parse(text: str) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(text)
    assert parser.errors == []


def _timeline(text: str) -> str:
    svg = re.search(r'<svg role="img" aria-label="Timeline[^>]*>(.*?)</svg>', text, re.S)
    assert svg is not None
    return svg.group(1)


@pytest.mark.parametrize(
    "new, old", [(replanned_plan(), previous_plan()), (hostile(replanned_plan()), None)]
)
def test_html_is_valid_and_self_contained(new: Any, old: Any) -> None:
    text = render_report(new, "html", previous=old)
    _parse(text)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert re.search(r"url\((?!#done-hatch\))", text) is None  # only the inline pattern


def test_previous_bars_are_drawn_faintly_behind_the_new_ones() -> None:
    svg = _timeline(render_report(replanned_plan(), "html", previous=previous_plan()))
    # four capabilities in both plans and the removed one; the added one has no previous bar
    assert svg.count('class="previous"') == 5
    assert svg.count('<g class="bar">') == 5
    assert svg.count('<g class="bar removed">') == 1
    assert svg.count("✕ removed") == 1
    assert svg.count("+ new") == 1
    for bar in re.findall(r'<g class="bar">.*?</g>', svg, re.S):
        if "previous" in bar:  # behind: drawn before the new bar
            assert bar.index('class="previous"') < bar.index("<rect x=")
    assert 'fill-opacity="0.18"' in svg


def test_previous_bar_sits_where_the_previous_plan_had_it() -> None:
    gantt = figures.gantt(replanned_plan(), previous_plan())
    scale = figures.CHART_WIDTH / 26  # the new plan ends on working day 26
    monitoring = next(b for b in gantt.bars if b.item.id == "model-monitoring")
    assert monitoring.previous == figures.Span(
        round(figures.LABEL_WIDTH + 10 * scale, 2), round(6 * scale, 2)
    )
    assert monitoring.x == round(figures.LABEL_WIDTH + 20 * scale, 2)
    cards = gantt.bars[-1]
    assert (cards.item.id, cards.removed, cards.y) == ("model-cards", True, gantt.bottom - 22)


def test_today_line_is_at_the_replan_date() -> None:
    x = round(figures.LABEL_WIDTH + 10 * figures.CHART_WIDTH / 26, 2)
    for old in (previous_plan(), None):
        svg = _timeline(render_report(replanned_plan(), "html", previous=old))
        assert f'<line x1="{x}" ' in svg
        assert re.search(rf'<text x="{x}"[^>]*>today · 2027-01-18</text>', svg)
    assert figures.gantt(replanned_plan()).today == x


def test_without_previous_only_today_and_states_are_added() -> None:
    text = render_report(replanned_plan(), "html")
    assert 'class="previous"' not in text
    assert "What changed" not in text
    assert "today · 2027-01-18" in text
    assert "What changed" not in render_report(replanned_plan(), "markdown")


def test_done_and_in_progress_work_is_marked() -> None:
    svg = _timeline(render_report(replanned_plan(), "html", previous=previous_plan()))
    assert svg.count('fill="url(#done-hatch)"') == 2
    assert '<pattern id="done-hatch"' in svg
    assert svg.count('<tspan fill="#2e7d32">✓ </tspan>') == 2
    assert svg.count('<tspan fill="#0b6bcb">▶ </tspan>') == 1
    assert svg.count('class="started"') == 1  # model-registry, under way since day 8


def test_first_plan_has_no_today_line_or_marks() -> None:
    text = render_report(small_plan(), "html")
    assert "today" not in text
    assert "done-hatch" not in text


def test_html_says_what_changed() -> None:
    text = render_report(replanned_plan(), "html", previous=previous_plan())
    section = text[text.index("<h2>What changed</h2>") : text.index("<h2>Timeline</h2>")]
    assert "Re-planned on 2027-01-18" in section
    assert '<td class="date">2027-01-29</td><td class="date">2027-02-08</td>' in section
    assert "+10 days" in section
    assert "49,400 EUR" in section and "55,400 EUR" in section and "+6,000 EUR" in section
    assert "<h3>Moved (2)</h3>" in section
    assert "sprint 2 · 2027-01-18" in section and "sprint 3 · 2027-02-01" in section
    assert "remaining work reassessed" in section
    assert "<h3>Added (1)</h3>" in section and "Feature store" in section
    assert "<h3>Removed (1)</h3>" in section and "Model cards" in section
    assert "<h3>Milestones moved</h3>" in section


def test_markdown_says_what_changed() -> None:
    text = render_report(replanned_plan(), "markdown", previous=previous_plan())
    assert "## What changed (re-planned on 2027-01-18)" in text
    assert "| end of the plan | 2027-01-29 | 2027-02-08 (+10 days) |" in text
    assert "### Moved (2)" in text
    assert text.index("## What changed") < text.index("\n## Milestones")


def test_hostile_text_is_escaped_in_the_changes_section() -> None:
    new, old = hostile(replanned_plan()), hostile(previous_plan())
    text = render_report(new, "html", previous=old)
    _parse(text)
    section = text[text.index("<h2>What changed</h2>") : text.index("<h2>Timeline</h2>")]
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert HOSTILE[1] in section
    markdown = render_report(new, "markdown", previous=old)
    assert "<script>" not in markdown
    changes = markdown[markdown.index("## What changed") : markdown.index("\n## Milestones")]
    assert "&lt;script&gt;" in changes
    rows = [line for line in changes.splitlines() if line.startswith("| **")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)


@pytest.mark.parametrize("fmt", ["scope", "csv", "json"])
def test_previous_plan_only_for_markdown_and_html(fmt: str) -> None:
    with pytest.raises(UsageError, match="--previous"):
        render_report(replanned_plan(), fmt, previous=previous_plan())


def test_cli_report_with_previous(tmp_path: Path, run_cli: Callable[[list[str]], Any]) -> None:
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    write_plan(previous_plan(), old_file)
    write_plan(replanned_plan(), new_file)
    for fmt, name in (("html", "r.html"), ("markdown", "r.md")):
        out = tmp_path / name
        args = ["report", str(new_file), "--format", fmt, "--previous", str(old_file)]
        result = run_cli([*args, "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        assert str(out) in result.stdout
        expected = render_report(replanned_plan(), fmt, previous=previous_plan())
        assert out.read_bytes().decode("utf-8") == expected
    result = run_cli(["report", str(new_file), "--format", "csv", "--previous", str(old_file),
                      "--out", str(tmp_path / "x.csv")])  # fmt: skip
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()
