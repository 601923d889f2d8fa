"""Forecasts checked against answers known without simulation."""

from __future__ import annotations

import math

import numpy as np

from planner.forecast import build_model, forecast_plan, pert_moments, simulate
from planner.forecast.model import IntArray, pert_parameters
from planner.forecast.relevel import Levelled
from tests.forecast.synthetic import Spec, day_of, synthetic_plan

SAMPLES = 4000
SPREAD = (20.0, 30.0, 60.0)
"""Working days: optimistic, likely, pessimistic (a right-skewed range)."""


def rounded_moments(low: float, likely: float, high: float) -> tuple[float, float]:
    """Mean and variance of a drawn duration rounded up to whole days.

    Over a range this wide the rounding adds a share of a day spread evenly over [0, 1):
    half a day to the mean and 1/12 to the variance (to well under 0.01 days).
    """
    mean, variance = pert_moments(low, likely, high)
    return mean + 0.5, variance + 1 / 12


def test_a_chain_without_resource_conflict_is_a_sum() -> None:
    n = 12
    specs = [
        Spec(f"c{k}", 30, SPREAD, 30 * k, {"dev": 1}, (f"c{k - 1}",) if k else ()) for k in range(n)
    ]
    plan = synthetic_plan(specs, {"dev": [(0, 5)]})
    outcome = simulate(build_model(plan), SAMPLES, seed=3)
    mean, variance = rounded_moments(*SPREAD)
    expected_mean, expected_sd = n * mean, math.sqrt(n * variance)
    days = outcome.target_days.astype(float)
    standard_error = expected_sd / math.sqrt(SAMPLES)
    assert abs(days.mean() - expected_mean) < 4 * standard_error
    assert abs(days.std() / expected_sd - 1) < 4 / math.sqrt(2 * SAMPLES)
    # P50 and P85: a sum of 12 such durations is close to normal; the tolerance is the
    # quantile's sampling error (4 standard errors) plus a day for whole-day dates
    summary = forecast_plan(plan, samples=SAMPLES, seed=3)
    target = summary.target
    for share, reported in ((0.5, target.p50), (0.85, target.p85)):
        z = {0.5: 0.0, 0.85: 1.0364333894937898}[share]
        density = math.exp(-z * z / 2) / (expected_sd * math.sqrt(2 * math.pi))
        tolerance = 4 * math.sqrt(share * (1 - share) / SAMPLES) / density + 1
        assert abs(day_of(reported) - (expected_mean + z * expected_sd)) < tolerance


def pert_cdf(low: float, likely: float, high: float, x: float) -> float:
    """P(duration <= x) for the PERT-beta, by integrating its density (no sampling)."""
    if x <= low:
        return 0.0
    if x >= high:
        return 1.0
    alpha = 1 + 4 * (likely - low) / (high - low)
    beta = 1 + 4 * (high - likely) / (high - low)
    grid = np.linspace(0.0, 1.0, 200_001)
    density = grid ** (alpha - 1) * (1 - grid) ** (beta - 1)
    cumulative = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2)])
    return float(np.interp((x - low) / (high - low), grid, cumulative / cumulative[-1]))


def test_parallel_items_with_enough_people_finish_at_the_maximum() -> None:
    n = 5
    specs = [Spec(f"p{k}", 30, SPREAD, 0) for k in range(n)]
    plan = synthetic_plan(specs, {"dev": [(0, n)]})
    outcome = simulate(build_model(plan), SAMPLES, seed=11)
    days = np.sort(outcome.target_days)
    # P(max <= k) = F(k)^n, F the PERT-beta CDF at whole days (a duration is rounded up)
    bound = math.sqrt(math.log(2 / 1e-6) / (2 * SAMPLES))  # DKW, failure odds 1e-6
    for k in range(int(SPREAD[0]), int(SPREAD[2]) + 1):
        expected = pert_cdf(*SPREAD, k) ** n
        observed = np.searchsorted(days, k, side="right") / SAMPLES
        assert abs(observed - expected) < bound, (k, observed, expected)


def test_one_person_doing_everything_is_a_sum() -> None:
    n = 10
    specs = [Spec(f"s{k}", 30, SPREAD, 30 * k) for k in range(n)]
    plan = synthetic_plan(specs, {"dev": [(0, 1)]})
    model = build_model(plan)
    kept: list[tuple[IntArray, Levelled]] = []
    outcome = simulate(model, SAMPLES, seed=5, keep=kept)
    drawn = np.concatenate([d for d, _ in kept])
    assert np.array_equal(outcome.target_days, drawn.sum(axis=1))
    mean, variance = rounded_moments(*SPREAD)
    standard_error = math.sqrt(n * variance / SAMPLES)
    assert abs(outcome.target_days.mean() - n * mean) < 4 * standard_error


def test_drawn_durations_follow_the_pert_beta() -> None:
    plan = synthetic_plan([Spec("a", 30, SPREAD, 0)], {"dev": [(0, 1)]})
    model = build_model(plan)
    alpha, beta = pert_parameters(model)
    assert (float(alpha[0]), float(beta[0])) == (1 + 4 * 10 / 40, 1 + 4 * 30 / 40)
    outcome = simulate(model, SAMPLES, seed=2)
    assert outcome.target_days.min() >= SPREAD[0]
    assert outcome.target_days.max() <= SPREAD[2]


def test_a_role_that_leaves_for_good_after_its_work_is_no_obstacle() -> None:
    specs = [
        Spec("ops-work", 10, (8.0, 10.0, 14.0), 0, {"ops": 1}),
        Spec("dev-work", 20, (15.0, 20.0, 40.0), 10, {"dev": 1}, ("ops-work",)),
        Spec("dev-more", 20, (15.0, 20.0, 40.0), 30, {"dev": 1}, ("dev-work",)),
    ]
    plan = synthetic_plan(specs, {"ops": [(0, 1), (30, 0)], "dev": [(0, 1)]})
    kept: list[tuple[IntArray, Levelled]] = []
    outcome = simulate(build_model(plan), 500, seed=1, keep=kept)
    drawn = np.concatenate([d for d, _ in kept])
    assert np.array_equal(outcome.target_days, drawn.sum(axis=1))
