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
from planner.plan import Plan
from planner.reports import gantt, render_report
from planner.reports.render import render_changes_document
from planner.scheduling.changes import compare_plans

from .fixture import HOSTILE, hostile, previous_plan, replanned_plan, small_plan

GOLDEN = Path(__file__).parent / "golden"


def replan(fmt: str, new: Plan | None = None, old: Plan | None = None) -> str:
    """The report of ``new`` (the re-planned plan) against ``old`` (the previous plan),
    with the change report the scheduling layer makes for them."""
    new = new or replanned_plan()
    old = old or previous_plan()
    return render_report(new, fmt, previous=old, changes=compare_plans(old, new))


FILES = {"markdown": "replan-roadmap.md", "html": "replan-roadmap.html"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_report_with_a_previous_plan_matches_golden_file(fmt: str) -> None:
    rendered = replan(fmt)
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
    text = replan("html", new, old) if old is not None else render_report(new, "html")
    _parse(text)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert re.search(r"url\((?!#done-hatch\))", text) is None  # only the inline pattern


def test_previous_bars_are_drawn_faintly_behind_the_new_ones() -> None:
    svg = _timeline(replan("html"))
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
    chart = gantt.gantt(replanned_plan(), previous_plan())
    axis = gantt.axis_of(replanned_plan(), previous_plan())
    assert axis.days == 26  # the deadline (day 40) is too far: marked at the right edge
    monitoring = next(b for b in chart.bars if b.item.id == "model-monitoring")
    assert monitoring.previous == gantt.Span(axis.x(10), round(axis.x(16) - axis.x(10), 2))
    assert monitoring.x == axis.x(20)
    cards = chart.bars[-1]
    assert (cards.item.id, cards.removed) == ("model-cards", True)
    assert chart.groups[-1].title == "Removed from the plan"


def test_today_line_is_at_the_replan_date() -> None:
    for old in (previous_plan(), None):
        chart = gantt.gantt(replanned_plan(), old)
        assert chart.today is not None
        x = gantt.axis_of(replanned_plan(), old).x(10)
        assert chart.today.x == x
        svg = _timeline(replan("html") if old else render_report(replanned_plan(), "html"))
        assert f'<line x1="{x}" ' in svg
        assert re.search(r'<text x="[\d.]+"[^>]*>today · 2027-01-18</text>', svg)


def test_without_previous_only_today_and_states_are_added() -> None:
    text = render_report(replanned_plan(), "html")
    assert 'class="previous"' not in text
    assert "What changed" not in text
    assert "today · 2027-01-18" in text
    assert "What changed" not in render_report(replanned_plan(), "markdown")


def test_done_and_in_progress_work_is_marked() -> None:
    svg = _timeline(replan("html"))
    assert svg.count('fill="url(#done-hatch)"') == 2
    assert '<pattern id="done-hatch"' in svg
    assert len(re.findall(r">✓ [^<]+</text>", svg)) == 2
    assert len(re.findall(r">◆ ▶ [^<]+</text>", svg)) == 1
    assert svg.count('class="started"') == 1  # model-registry, under way since day 8


def test_first_plan_has_no_today_line_or_marks() -> None:
    text = render_report(small_plan(), "html")
    assert "today ·" not in text
    assert "done-hatch" not in text


def test_html_says_what_changed_first_then_timeline_progress_and_notes() -> None:
    text = replan("html")
    order = ["<h2>What changed</h2>", "<h2>Timeline</h2>", "<h2>Progress</h2>",
             "<h2>Technical notes</h2>"]  # fmt: skip
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    section = text[text.index("<h2>What changed</h2>") : text.index("<h2>Timeline</h2>")]
    assert "2027-01-18" in section
    assert '<td class="date">reached on 2027-01-13</td>' in section
    assert '<td class="date">2027-01-29</td><td class="date">2027-02-08</td>' in section
    assert "+10 days" in section
    assert "49,400 EUR" in section and "55,400 EUR" in section and "+6,000 EUR" in section
    assert "+1 / −1" in section
    assert "→ —" not in section and "configuration" not in section
    causes = re.findall(r"<li>(.*?)</li>", section)
    assert causes == [
        "Model registry needs more time than planned: 70% of it was left on 2027-01-18; it "
        "now ends 2027-02-04 instead of 2027-01-29.",
        "The reassessment found work that was not in the plan: Feature store.",
        "Work is no longer needed: Model cards.",
    ]
    progress = text[text.index("<h2>Progress</h2>") : text.index("<h2>Milestones</h2>")]
    assert "2 done, 1 in progress, 2 still to start." in progress
    assert '<td class="num">70%</td>' in progress
    notes = text[text.index("<h2>Technical notes</h2>") :]
    assert "<h3>Moved (2)</h3>" in notes
    assert "sprint 2 · 2027-01-18" in notes and "sprint 3 · 2027-02-01" in notes
    assert "remaining work reassessed" in notes
    assert "<h3>Added (1)</h3>" in notes and "Feature store" in notes
    assert "<h3>Removed (1)</h3>" in notes and "Model cards" in notes


def test_markdown_says_what_changed() -> None:
    text = replan("markdown")
    assert "Re-planned on 2027-01-18, compared with the previous plan." in text
    assert "| MLOps level 2 | 2027-01-29 | 2027-02-08 | +10 days |" in text
    assert "### Moved (2)" in text
    assert text.index("## What changed") < text.index("\n## Milestones")
    assert text.index("\n## Technical notes") < text.index("### Moved (2)")


def test_hostile_text_is_escaped_in_the_changes_section() -> None:
    new, old = hostile(replanned_plan()), hostile(previous_plan())
    text = replan("html", new, old)
    _parse(text)
    section = text[text.index("<h2>Technical notes</h2>") :]
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert HOSTILE[1] in section
    markdown = replan("markdown", new, old)
    assert "<script>" not in markdown
    changes = markdown[markdown.index("## What changed") : markdown.index("\n## Milestones")]
    assert "&lt;script&gt;" in changes
    rows = [line for line in changes.splitlines() if line.startswith("| ")]
    assert len(rows) == 6 and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)
    notes = markdown[markdown.index("### Moved (2)") : markdown.index("### Added")]
    assert '\\=HYPERLINK("http://x")' in notes
    rows = [line for line in notes.splitlines() if line.startswith("| ")]
    assert len(rows) == 4 and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)


@pytest.mark.parametrize("fmt", ["scope", "csv"])
def test_previous_plan_only_for_markdown_and_html(fmt: str) -> None:
    with pytest.raises(UsageError, match="--previous"):
        replan(fmt)


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
        expected = replan(fmt)
        assert out.read_bytes().decode("utf-8") == expected
    result = run_cli(["report", str(new_file), "--format", "csv", "--previous", str(old_file),
                      "--out", str(tmp_path / "x.csv")])  # fmt: skip
    assert result.exit_code == 2
    assert not (tmp_path / "x.csv").exists()


def _sections(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.M)


def test_markdown_replan_tells_what_changed_first_and_technical_notes_last() -> None:
    # The client reads the re-plan from the top: what changed (dates, cost, scope, causes),
    # then the timeline and progress; the notes for the team come after all of it.
    for text in (replan("markdown"), replan("html")):
        heads = _sections(text) or re.findall(r"<h2>(.+?)</h2>", text)
        assert heads[0] == "What changed", heads
        assert heads.index("Progress") < heads.index("Technical notes"), heads
        assert heads.index("Timeline") < heads.index("Technical notes"), heads
    text = replan("markdown")
    changed = text.split("## What changed", 1)[1].split("\n## ", 1)[0]
    assert "| MLOps level 1 | 2027-01-13 | reached on 2027-01-13 |" in changed
    assert "| Cost | 49,400 EUR | 55,400 EUR | +6,000 EUR |" in changed
    assert "| Scope | 5 capabilities | 5 capabilities | +1 / −1 |" in changed
    causes = re.findall(r"^- (.+)$", changed.split("### Why", 1)[1], re.M)
    assert len(causes) == 3 and len(set(causes)) == len(causes)
    # each cause said once in what the client reads, not once per milestone
    client = text.split("## Technical notes", 1)[0]
    for cause in causes:
        assert client.count(cause) == 1, cause


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_replan_notes_are_worded_for_a_person_and_grouped(fmt: str) -> None:
    text = replan(fmt)
    heading = "<h2>Technical notes</h2>" if fmt == "html" else "## Technical notes"
    client, notes = text.split(heading, 1)
    for word in ("current.capabilities", "current.areas", "answer partial", "→ —", "—</td>"):
        assert word not in client, word
    # one heading for the capabilities taken as done, each listed once, in plain words
    assert notes.count("Taken as done as planned") == 1
    assert notes.count("Experiment tracking: planned to be finished by") == 1
    assert "current.capabilities" not in notes
    assert "how much of it is left" in notes


def test_notes_of_a_replan_are_data_worded_at_render_time() -> None:
    plan = replanned_plan()
    assert plan.assumed_done[0].id == "experiment-tracking"
    assert not any("taken as done" in note for note in plan.notes)


def test_change_document_with_both_plans_follows_the_roadmaps_order() -> None:
    new, old = replanned_plan(), previous_plan()
    text = render_changes_document(compare_plans(old, new), new, old)
    assert text.startswith("# Re-plan of Example Co")
    assert _sections(text) == ["What changed", "Progress", "Technical notes"]
    client = text.split("## Technical notes", 1)[0]
    assert "reached on 2027-01-13" in client and "→ —" not in text
    assert "current." not in client
    assert text.count("Taken as done as planned") == 1
