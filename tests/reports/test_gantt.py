"""The timeline: full names, named milestones, deadline, today, arrows, staffing, groups,
team changes, a load chart on the same axis, and every text inside the SVG's viewBox.

The geometry checks need no browser: they read the SVG the report contains and measure
each text with the same generous width estimate the layout uses.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
from datetime import date

import pytest

from planner.plan import Plan, PlannedTeamChange
from planner.reports import ChartOptions, gantt, render_report
from planner.scheduling.changes import compare_plans

from .fixture import big_plan, hostile, previous_plan, replanned_plan, small_plan

LONG = "Data scientists pair with data engineers on repeatable jobs, " * 3
RTL = "خط أنابيب البيانات المؤتمت لكل فريق علم البيانات في المؤسسة"


def long_names(plan: Plan) -> Plan:
    """Very long, right-to-left and unbreakable names."""
    names = (LONG, RTL, "x" * 120, "<script>alert(1)</script> " + LONG)
    items = tuple(
        dataclasses.replace(i, title=names[n % len(names)]) for n, i in enumerate(plan.items)
    )
    return dataclasses.replace(plan, items=items)


def with_team_changes(plan: Plan) -> Plan:
    changes = (
        PlannedTeamChange("ml-engineer", 1, date(2027, 1, 6), note="joins"),
        PlannedTeamChange("data-engineer", -1, date(2027, 1, 7), date(2027, 1, 20), "leave"),
        PlannedTeamChange("ml-engineer", -1, date(2027, 1, 8), note="leaves"),
    )
    return dataclasses.replace(plan, team_changes=changes)


PLANS = {
    "small": small_plan(),
    "long names": long_names(small_plan()),
    "hostile": hostile(small_plan()),
    "team changes": with_team_changes(small_plan()),
    "big": big_plan(120),
    "replanned": replanned_plan(),
    "near deadline": dataclasses.replace(small_plan(), deadline=date(2027, 2, 3)),
}


def _report(plan: Plan, options: ChartOptions | None = None) -> str:
    return render_report(plan, "html", options=options or ChartOptions(today=date(2027, 1, 20)))


def _svgs(text: str) -> list[tuple[float, float, str]]:
    """(viewBox width, height, content) of every SVG in the report."""
    found = []
    for match in re.finditer(
        r'<svg [^>]*viewBox="0 0 ([\d.]+) ([\d.]+)"[^>]*>(.*?)</svg>', text, re.S
    ):
        found.append((float(match.group(1)), float(match.group(2)), match.group(3)))
    return found


def _texts(svg: str) -> list[gantt.Label]:
    """Every <text> of an SVG as the label it draws (its attributes and its words)."""
    labels = []
    for attrs, body in re.findall(r"<text ([^>]*)>(.*?)</text>", svg, re.S):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        words = html.unescape(re.sub(r"<[^>]+>", "", body))
        labels.append(
            gantt.Label(
                words,
                float(values["x"]),
                float(values["y"]),
                values.get("text-anchor", "start"),
                float(values.get("font-size", gantt.FONT)),
            )
        )
    return labels


@pytest.mark.parametrize("arrows", gantt.ARROWS)
@pytest.mark.parametrize("group", gantt.GROUPS)
@pytest.mark.parametrize("name", sorted(PLANS))
def test_every_text_lies_inside_the_viewbox(name: str, group: str, arrows: str) -> None:
    options = ChartOptions(arrows=arrows, group=group, today=date(2027, 1, 20))
    svgs = _svgs(_report(PLANS[name], options))
    assert len(svgs) == 2  # the timeline and the load chart
    for width, height, content in svgs:
        labels = _texts(content)
        assert labels
        for label in labels:
            assert label.left >= 0 and label.right <= width, (label.text, label.left, label.right)
            assert label.top >= 0 and label.bottom <= height, (label.text, label.top, height)
        for x in re.findall(r'<(?:rect|line) x1?="([\d.-]+)"', content):
            assert 0 <= float(x) <= width


def test_the_chart_scales_with_the_page() -> None:
    svg = re.search(r"<svg [^>]*aria-label=\"Timeline[^>]*>", _report(small_plan()))
    assert svg is not None
    assert "viewBox=" in svg.group(0)
    assert " width=" not in svg.group(0) and " height=" not in svg.group(0)
    assert ".chart svg { display: block; width: 100%; height: auto; }" in _report(small_plan())


@pytest.mark.parametrize("plan", [long_names(small_plan()), small_plan()])
def test_names_are_wrapped_in_full_never_cut(plan: Plan) -> None:
    chart = gantt.gantt(plan)
    for bar in chart.bars:
        text = " ".join(line.text for line in bar.name)
        assert "".join(text.split()).endswith("".join(bar.item.title.split()))
        assert all(line.right <= gantt.LABEL_WIDTH for line in bar.name)
        assert "…" not in text
    assert max(len(bar.name) for bar in chart.bars) > 1 or plan == small_plan()


def test_rows_never_overlap_and_grow_with_wrapped_names() -> None:
    chart = gantt.gantt(long_names(small_plan()))
    rows = sorted((b.row_top, b.row_top + b.row_height) for b in chart.bars)
    assert all(a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(rows))
    for bar in chart.bars:
        assert bar.name[-1].bottom <= bar.row_top + bar.row_height


def test_milestones_are_named_and_the_deadline_drawn() -> None:
    text = _report(PLANS["near deadline"])
    assert "MLOps level 1 · 2027-01-13" in text
    assert "MLOps level 2 · 2027-01-29" in text
    assert "deadline 2027-02-03</text>" in text
    chart = gantt.gantt(PLANS["near deadline"])
    assert chart.deadline is not None
    assert chart.lines[-1].x < chart.deadline.x <= gantt.CHART_RIGHT
    # a deadline far after the end: marked at the right edge, pointing on
    far = gantt.gantt(small_plan())
    assert far.deadline is not None and far.deadline.x == gantt.CHART_RIGHT
    assert far.deadline.label.text == "deadline 2027-03-01 →"


def test_today_line_only_inside_the_plan() -> None:
    inside = gantt.gantt(small_plan(), options=ChartOptions(today=date(2027, 1, 20)))
    assert inside.today is not None and inside.today.label.text == "today · 2027-01-20"
    assert inside.today.x == gantt.axis_of(small_plan()).x(12)  # 2027-01-20: working day 12
    for outside in (date(2026, 12, 1), date(2027, 6, 1), None):
        assert gantt.gantt(small_plan(), options=ChartOptions(today=outside)).today is None
    assert "today ·" not in render_report(small_plan(), "html")


def test_arrows_follow_the_critical_chain_or_all_dependencies() -> None:
    plan = small_plan()  # model-registry (critical) requires data-pipeline (critical)
    critical = gantt.gantt(plan, options=ChartOptions(arrows="critical")).arrows
    assert [(a.before, a.after, a.critical) for a in critical] == [
        ("data-pipeline", "model-registry", True)
    ]
    extra = dataclasses.replace(plan.item("model-monitoring"), requires=("experiment-tracking",))
    other = dataclasses.replace(
        plan, items=tuple(extra if i.id == extra.id else i for i in plan.items)
    )
    everything = gantt.gantt(other, options=ChartOptions(arrows="all")).arrows
    assert {(a.before, a.after) for a in everything} == {
        ("data-pipeline", "model-registry"),
        ("experiment-tracking", "model-monitoring"),
    }
    assert gantt.gantt(other, options=ChartOptions(arrows="none")).arrows == ()
    assert _report(other, ChartOptions(arrows="all")).count('<path class="arrow"') == 2


def test_arrow_runs_from_the_prerequisites_end_to_the_dependants_start() -> None:
    chart = gantt.gantt(small_plan())
    bars = {b.item.id: b for b in chart.bars}
    (arrow,) = chart.arrows
    start = f"M{round(bars['data-pipeline'].x + bars['data-pipeline'].width, 2)} "
    assert arrow.path.startswith(start)
    assert arrow.path.endswith(f"H{bars['model-registry'].x}") or arrow.path.endswith(
        f"V{bars['model-registry'].y}"
    )


def test_each_bar_says_who_works_on_it() -> None:
    chart = gantt.gantt(small_plan())
    staffing = {b.item.id: b.staffing.text for b in chart.bars}
    assert staffing["model-registry"] == "1 ML engineer · 1 Data engineer"
    assert staffing["data-pipeline"] == "2 Data engineer"


@pytest.mark.parametrize(
    ("group", "headings"),
    [
        ("milestone", ["MLOps level 1 · 2027-01-13", "MLOps level 2 · 2027-01-29"]),
        ("area", ["Data", "Models"]),
        ("none", []),
    ],
)
def test_rows_grouped_by_milestone_or_area(group: str, headings: list[str]) -> None:
    chart = gantt.gantt(small_plan(), options=ChartOptions(group=group))
    assert [g.title for g in chart.groups] == headings
    if group == "area":
        areas = [b.item.area for b in chart.bars]
        assert areas == sorted(areas)


def test_team_changes_are_marked_on_the_time_axis() -> None:
    plan = with_team_changes(small_plan())
    chart = gantt.gantt(plan)
    axis = gantt.axis_of(plan)
    assert [m.label.text for m in chart.team] == [
        "+1 ML engineer from 2027-01-06",
        "-1 Data engineer from 2027-01-07 to 2027-01-20",
        "-1 ML engineer from 2027-01-08",
    ]
    assert [m.x for m in chart.team] == [axis.x(2), axis.x(3), axis.x(4)]
    assert chart.team[1].width == round(axis.x(12) - axis.x(3), 2)
    labels = sorted((m.label.top, m.label.left, m.label.right) for m in chart.team)
    for a in labels:  # close together: on separate rows, never overlapping
        for b in labels:
            if a is not b and a[0] == b[0]:
                assert a[2] < b[1] or b[2] < a[1]
    assert "joins" in _report(plan) and "-1 Data engineer from 2027-01-07" in _report(plan)


def test_load_chart_shares_the_time_axis_and_one_scale() -> None:
    plan = small_plan()
    chart = gantt.load_chart(plan)
    axis = gantt.axis_of(plan)
    assert chart.peak == 2.0  # the highest of every role's busy and available people
    for row in chart.rows:
        assert [b.x for b in row.bars] == [axis.x(0), axis.x(10)]
        for bar in row.bars:  # the same people are the same height in every row
            assert bar.busy_height == round(gantt.LOAD_ROW * bar.busy / chart.peak, 2)
    assert chart.ticks == tuple(t.x for t in gantt.gantt(plan).ticks)
    text = _report(plan)
    assert 'aria-label="Load of Data engineer"' in text
    assert "Data engineer, sprint 2: 1 busy of 2" in text


def test_replan_timeline_draws_previous_plan_and_today() -> None:
    new, old = replanned_plan(), previous_plan()
    options = ChartOptions()
    text = render_report(
        new, "html", previous=old, changes=compare_plans(old, new), options=options
    )
    chart = gantt.gantt(new, old)
    assert chart.today is not None and chart.today.date == date(2027, 1, 18)
    assert sum(1 for b in chart.bars if b.previous is not None) == 5
    assert "+ new · 1 Data engineer" in text
    assert "✕ removed" in text


def test_text_width_is_generous_for_wide_and_right_to_left_text() -> None:
    assert gantt.text_width("MMMM") > gantt.text_width("iiii")
    assert gantt.text_width(RTL) >= 0.34 * gantt.FONT * len(RTL.replace(" ", ""))
    assert gantt.wrap("x" * 200, 100) == tuple(gantt.wrap("x" * 200, 100))
    assert all(gantt.text_width(line) <= 100 for line in gantt.wrap("x" * 200, 100))


def test_done_work_of_a_reached_milestone_is_grouped_under_it() -> None:
    new, old = replanned_plan(), previous_plan()
    without = dataclasses.replace(
        new, milestones=tuple(m for m in new.milestones if m.id != "level-1")
    )
    chart = gantt.gantt(without, old)
    assert chart.groups[0].title == "MLOps level 1 · reached on 2027-01-13"
    first = {b.item.id for b in chart.bars if b.row_top < chart.groups[1].y}
    assert first == {"data-pipeline", "experiment-tracking"}
