"""The forecast in the reports: Markdown and HTML roadmap, scope document."""

from __future__ import annotations

from functools import cache

import html5lib

from planner.files.engagement_loader import open_workspace
from planner.forecast import with_forecast
from planner.plan import Plan
from planner.reports import render_report
from planner.scheduling.planning import make_plan
from tests.conftest import EXAMPLES


@cache
def forecast_bank() -> Plan:
    plan = make_plan(open_workspace(EXAMPLES / "bank-level1-to-3.yaml"), time_limit=10.0)
    return with_forecast(plan, samples=500, seed=0)


def test_markdown_roadmap_and_scope_say_how_sure_each_level_is() -> None:
    plan = forecast_bank()
    assert plan.forecast is not None
    target = plan.forecast.target
    line = f"- **Level 3**: 50% by {target.p50}, 85% by {target.p85}, 95% by {target.p95}"
    for fmt in ("markdown", "scope"):
        text = render_report(plan, fmt)
        assert line in text
        assert f"chance of meeting the deadline {plan.deadline}" in text
    assert "| Capability | On the chain |" in render_report(plan, "markdown")


def test_html_roadmap_draws_bands_the_curve_and_the_critical_capabilities() -> None:
    plan = forecast_bank()
    assert plan.forecast is not None
    page = render_report(plan, "html")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)
    assert page.count('fill-opacity="0.25"') == len(plan.forecast.milestones)
    assert "<polyline points=" in page
    first_critical = plan.forecast.critical[0]
    assert f"<tr><td>{first_critical.title}</td>" in page


def test_a_plan_without_ranges_shows_no_forecast() -> None:
    plan = make_plan(open_workspace(EXAMPLES / "bank-level1-to-3.yaml"), time_limit=10.0)
    assert plan.forecast is None
    assert "How sure" not in render_report(plan, "markdown")
    assert "How sure" not in render_report(plan, "html")
