"""Forecasts under uncertainty: Monte Carlo over the plan, re-levelled on its team per sample.

Pure core: takes a :class:`~planner.plan.Plan` and returns plain data; opens no file.
"""

from planner.forecast.model import ForecastModel, build_model, draw_durations, pert_moments
from planner.forecast.relevel import Levelled, relevel
from planner.forecast.summary import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Outcome,
    forecast_plan,
    simulate,
    summarise,
    with_forecast,
)

__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_SEED",
    "ForecastModel",
    "Levelled",
    "Outcome",
    "build_model",
    "draw_durations",
    "forecast_plan",
    "pert_moments",
    "relevel",
    "simulate",
    "summarise",
    "with_forecast",
]
