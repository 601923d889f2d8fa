"""The scenario comparison as Markdown or HTML (an overlay of the scenarios' timelines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from planner.forecast.compare import ComparisonReport
from planner.plan import Plan

TEMPLATES = Path(__file__).parent / "templates"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
WIDTH, LANE, LEFT, TOP = 900.0, 34.0, 170.0, 30.0


@dataclass(frozen=True)
class Mark:
    x: float
    label: str


@dataclass(frozen=True)
class Lane:
    label: str
    colour: str
    y: float
    bars: tuple[tuple[float, float], ...]
    """Each item's [x, x + width), drawn faintly: the scenario's work over time."""
    milestones: tuple[Mark, ...]
    band: tuple[float, float] | None
    """The target's P50 to P95, when forecast."""


@dataclass(frozen=True)
class Overlay:
    width: float
    height: float
    lanes: tuple[Lane, ...]
    ticks: tuple[Mark, ...]


def overlay(report: ComparisonReport) -> Overlay | None:
    """The scenarios' timelines on one date axis, one lane each."""
    plans = [(s.label, s.plan) for s in report.scenarios if s.plan is not None]
    if not plans:
        return None
    first = min(p.start for _, p in plans)
    last = max(_last(p) for _, p in plans)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - 20) * (day - first).days / span, 1)

    lanes = []
    for n, (label, plan) in enumerate(plans):
        y = TOP + n * LANE
        bars = tuple(
            (x(i.start), max(1.0, round(x(i.end) - x(i.start), 1)))
            for i in plan.items
            if i.state != "done"
        )
        marks = tuple(Mark(x(m.date), f"L{m.level}") for m in plan.overall_milestones)
        band = None
        if plan.forecast is not None:
            target = plan.forecast.target
            band = (x(target.p50), round(x(target.p95) - x(target.p50), 1))
        lanes.append(Lane(label, COLOURS[n % len(COLOURS)], y, bars, marks, band))
    ticks = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            ticks.append(Mark(x(month), month.strftime("%b %Y")))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = max(1, len(ticks) // 10)
    return Overlay(WIDTH, TOP + len(lanes) * LANE + 30, tuple(lanes), tuple(ticks[::step]))


def _last(plan: Plan) -> dt.date:
    if plan.forecast is not None:
        return max(plan.end, plan.forecast.target.p95)
    return plan.end


def render_comparison(report: ComparisonReport, fmt: str) -> str:
    """``markdown`` or ``html`` text of the comparison."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["zip"] = lambda first, second: list(zip(first, second, strict=True))
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    name = "compare.html" if fmt == "html" else "compare.md"
    return env.get_template(name).render(
        report=report, overlay=overlay(report) if fmt == "html" else None
    )
