"""The forecast's figures for the reports: each milestone's P50-P95 band on a date axis,
the chance of reaching the target by each date, and the critical capabilities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.plan import CriticalCapability, Plan

WIDTH, LEFT, RIGHT, ROW = 760.0, 190.0, 20.0, 30.0
CURVE_HEIGHT = 150.0


@dataclass(frozen=True)
class BandRow:
    label: str
    y: float
    optimal: float
    p50: float
    p85: float
    p95: float
    text: str
    """'50% by ..., 85% by ...' for the row's tooltip."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ForecastFigure:
    width: float
    height: float
    rows: tuple[BandRow, ...]
    deadline: float | None
    ticks: tuple[Tick, ...]
    curve: str
    """SVG polyline points of P(target reached by date), on its own small chart."""
    curve_height: float
    curve_ticks: tuple[Tick, ...]
    critical: tuple[CriticalCapability, ...]


def forecast_figure(plan: Plan) -> ForecastFigure | None:
    """The figure's geometry, or None for a plan without a forecast."""
    forecast = plan.forecast
    if forecast is None or not forecast.milestones:
        return None
    first = plan.start
    dates = [d for m in forecast.milestones for d in (m.optimal, m.p95)]
    dates += [d for d, _ in forecast.target.by_date]
    if plan.deadline:
        dates.append(plan.deadline)
    last = max(dates)
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span, 1)

    rows = tuple(
        BandRow(
            f"Level {m.level}" + (" (target)" if m.level == plan.target_level else ""),
            10 + n * ROW,
            x(m.optimal),
            x(m.p50),
            x(m.p85),
            x(m.p95),
            f"optimal {m.optimal}; 50% by {m.p50}, 85% by {m.p85}, 95% by {m.p95}",
        )
        for n, m in enumerate(forecast.milestones)
    )
    height = 10 + len(rows) * ROW + 24
    ticks = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            ticks.append(Tick(x(month), month.strftime("%b %Y")))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    step = max(1, len(ticks) // 8)
    points = [(x(first), 0.0)] + [(x(d), p) for d, p in forecast.target.by_date]
    curve = " ".join(
        f"{px},{round(CURVE_HEIGHT - 10 - p * (CURVE_HEIGHT - 30), 1)}" for px, p in points
    )
    curve_ticks = tuple(
        Tick(round(CURVE_HEIGHT - 10 - share * (CURVE_HEIGHT - 30), 1), f"{share:.0%}")
        for share in (0.0, 0.5, 0.85, 1.0)
    )
    return ForecastFigure(
        width=WIDTH,
        height=height,
        rows=rows,
        deadline=x(plan.deadline) if plan.deadline else None,
        ticks=tuple(ticks[::step]),
        curve=curve,
        curve_height=CURVE_HEIGHT,
        curve_ticks=curve_ticks,
        critical=tuple(c for c in forecast.critical if c.index >= 0.05),
    )
