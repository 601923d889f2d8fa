"""The HTML report: valid, self-contained, escaped, and its chart grows with the plan."""

from __future__ import annotations

import dataclasses
import re

import html5lib
import pytest

from planner.reports import gantt, render_report

from .fixture import HOSTILE, big_plan, hostile_plan, small_plan

HTML_FORMATS = ["html", "scope-html"]


def _parse(text: str) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(text)
    assert parser.errors == []


@pytest.mark.parametrize("fmt", HTML_FORMATS)
@pytest.mark.parametrize("plan", [small_plan(), hostile_plan(), big_plan(200)])
def test_html_is_valid_and_self_contained(fmt: str, plan: object) -> None:
    text = render_report(plan, fmt)  # type: ignore[arg-type]
    _parse(text)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert "@media print" in text


@pytest.mark.parametrize("fmt", HTML_FORMATS)
def test_hostile_text_is_escaped(fmt: str) -> None:
    text = render_report(hostile_plan(), fmt)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert HOSTILE[1] in text  # pipes are harmless in HTML and shown as they are


def _gantt(text: str) -> tuple[int, float]:
    svg = re.search(r'<svg role="img" aria-label="Timeline[^>]*>(.*?)</svg>', text, re.S)
    assert svg is not None
    height = re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg.group(0))
    assert height is not None
    return svg.group(1).count('<g class="bar">'), float(height.group(1))


def test_gantt_has_one_bar_per_item_and_grows_with_the_plan() -> None:
    small_bars, small_height = _gantt(render_report(small_plan(), "html"))
    big_bars, big_height = _gantt(render_report(big_plan(200), "html"))
    assert (small_bars, big_bars) == (4, 200)
    assert big_height > small_height + 190 * 20


def test_gantt_marks_milestones_with_their_name_and_critical_items() -> None:
    text = render_report(small_plan(), "html")
    assert "MLOps level 1 · 2027-01-13" in text
    assert "MLOps level 2 · 2027-01-29" in text
    assert text.count('rx="2" fill="#4e79a7" stroke="#b3261e" stroke-width="2"/>') == 1
    assert text.count('rx="2" fill="#f28e2b" stroke="#b3261e" stroke-width="2"/>') == 1


def test_load_chart_per_role() -> None:
    text = render_report(small_plan(), "html")
    assert 'aria-label="Load of Data engineer"' in text
    assert 'aria-label="Load of ML engineer"' in text
    assert "ML engineer, sprint 2: 2 busy of 2" in text


def test_milestone_labels_stay_on_the_chart_and_apart() -> None:
    chart = gantt.gantt(small_plan())
    first, last = chart.lines
    assert (first.label.anchor, last.label.anchor) == ("middle", "end")  # the last at the edge
    assert last.x == gantt.CHART_RIGHT
    # two milestones a day apart: their labels go on different rows
    plan = small_plan()
    close = dataclasses.replace(plan.milestones[1], day=plan.milestones[0].day + 1)
    lines = gantt.gantt(dataclasses.replace(plan, milestones=(plan.milestones[0], close))).lines
    assert lines[0].label.y != lines[1].label.y


def test_month_ticks_fall_on_the_first_working_day_of_each_month() -> None:
    plan = big_plan(200)  # working days 0..204 from Monday 2027-01-04
    ticks = gantt.gantt(plan).ticks
    axis = gantt.axis_of(plan)
    assert [t.label.text for t in ticks[:3]] == ["Feb 2027", "Mar", "Apr"]
    # 2027-02-01 is a Monday, 20 working days after the start; day 204 is in October
    assert ticks[0].x == axis.x(20)
    assert len(ticks) == 9
    assert all(gantt.CHART_LEFT <= t.x <= gantt.CHART_RIGHT for t in ticks)
