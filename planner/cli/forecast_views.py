"""Terminal views of forecasts, comparisons and what extra people buy."""

from __future__ import annotations

import json
from functools import cache

from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table

from planner.forecast.compare import ComparisonReport, Help
from planner.plan import ForecastSummary, Plan

console = Console(highlight=False)


@cache
def _adapter() -> TypeAdapter[ForecastSummary]:
    return TypeAdapter(ForecastSummary)


def forecast_json(summary: ForecastSummary) -> str:
    data = _adapter().dump_python(summary, mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def milestone_label(plan: Plan, level: int) -> str:
    return f"Level {level}" + (" (target)" if level == plan.target_level else "")


def target_line(plan: Plan) -> str | None:
    """One line for 'plan': the target's optimal date, its P85 and the deadline's odds."""
    if plan.forecast is None or not plan.forecast.milestones:
        return None
    target = plan.forecast.target
    line = (
        f"Level {target.level}: optimal {target.optimal}, 85% likely by {target.p85} "
        f"(50% by {target.p50}; {plan.forecast.samples:,} samples re-levelled)"
    )
    if target.deadline is not None and target.deadline_probability is not None:
        odds = f"{target.deadline_probability:.0%}"
        line += f"; {odds} chance of meeting the deadline {target.deadline}"
    return line


def show_forecast(plan: Plan, summary: ForecastSummary) -> None:
    console.print(
        f"[bold]{plan.engagement}[/bold]: forecast of {summary.samples:,} samples "
        f"(seed {summary.seed}); in each, durations are drawn and the work is re-levelled "
        "on the plan's team"
    )
    console.print(f"durations: {summary.distribution}", markup=False)
    table = Table(title="Milestones", title_justify="left")
    for column in ("milestone", "optimal", "P50", "P85", "P95", "deadline", "on time"):
        table.add_column(column)
    for m in summary.milestones:
        table.add_row(
            milestone_label(plan, m.level),
            str(m.optimal),
            str(m.p50),
            str(m.p85),
            str(m.p95),
            str(m.deadline or ""),
            percent(m.deadline_probability),
        )
    console.print(table)
    critical = Table(
        title="Critical capabilities: share of samples on the chain that decided the target "
        "date, and why they started when they did there",
        title_justify="left",
    )
    for column in ("capability", "criticality", "after a prerequisite", "waited for people"):
        critical.add_column(column)
    for c in summary.critical:
        waited = percent(c.waiting_for_people)
        if c.waiting_for_people:
            waited += f" (mean {c.mean_wait_days:g} days)"
        critical.add_row(c.id, percent(c.index), percent(c.waiting_for_prerequisite), waited)
    console.print(critical)
    console.print(
        f"On average {summary.chain_people_share:.0%} of the links of the deciding chain were "
        "waits for people busy on other work; the rest waited for prerequisites."
    )


@cache
def _comparison_adapter() -> TypeAdapter[ComparisonReport]:
    return TypeAdapter(ComparisonReport)


def comparison_text(report: ComparisonReport, fmt: str) -> str:
    """The comparison as ``markdown``, ``html`` or ``json`` text."""
    if fmt == "json":
        data = _comparison_adapter().dump_python(report, mode="json")
        data.pop("scenarios", None)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from planner.reports.compare import render_comparison

    return render_comparison(report, fmt)


def show_comparison(report: ComparisonReport) -> None:
    comparison = report.comparison
    console.print(f"[bold]Scenarios: {report.title}[/bold] (differences against the first column)")
    for table in comparison.tables:
        view = Table(title=table.title, title_justify="left")
        view.add_column("")
        for label in comparison.labels:
            view.add_column(label)
        for row in table.rows:
            view.add_row(
                row.label,
                *(c.value + (f" ({c.delta})" if c.delta else "") for c in row.cells),
            )
        console.print(view)
    for label, problem in zip(comparison.labels, comparison.problems, strict=True):
        if problem:
            console.print(f"{label}: no plan — {problem}", markup=False)
    show_helps(report.helps)


def show_helps(helps: tuple[Help, ...]) -> None:
    if helps:
        console.print("[bold]What extra people buy[/bold]")
        for help in helps:
            console.print(f"  • {help.sentence[:1].upper()}{help.sentence[1:]}", markup=False)
