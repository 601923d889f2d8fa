"""The forecast: draw every duration, re-level each sample, read milestones and chains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from planner.calendar import WorkCalendar
from planner.errors import PlannerError
from planner.forecast.model import ForecastModel, IntArray, build_model, draw_durations
from planner.forecast.relevel import NO_LINK, Levelled, relevel
from planner.plan import CriticalCapability, ForecastSummary, MilestoneForecast, Plan

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
DEFAULT_SAMPLES = 2000
DEFAULT_SEED = 0
CHUNK = 1000
"""Samples re-levelled together; each chunk draws from its own stream of the seed, so the
result depends on the seed and the number of samples only."""
CURVE_POINTS = 24
CRITICAL_SHOWN = 12
DISTRIBUTION = "PERT-beta over each staffing option's optimistic, likely and pessimistic weeks"


@dataclass(frozen=True)
class Outcome:
    """Raw days per sample: each milestone's day and the chain that decided the target."""

    model: ForecastModel
    milestone_days: dict[str, IntArray]
    target_days: IntArray
    on_chain: Bools
    chain_people: Bools
    """Per sample and item: on the chain, and waited there for people (not a prerequisite)."""
    wait: IntArray
    people_links: Floats
    """Per sample: share of the chain's links that were waits for people."""


def simulate(
    model: ForecastModel,
    samples: int,
    seed: int,
    *,
    keep: list[tuple[IntArray, Levelled]] | None = None,
) -> Outcome:
    """Run ``samples`` samples; ``keep`` (debug mode) receives every chunk's schedules."""
    chunks = []
    streams = np.random.SeedSequence(seed).spawn((samples + CHUNK - 1) // CHUNK)
    for number, stream in enumerate(streams):
        size = min(CHUNK, samples - number * CHUNK)
        durations = draw_durations(model, np.random.Generator(np.random.PCG64(stream)), size)
        levelled = relevel(model, durations)
        if keep is not None:
            keep.append((durations, levelled))
        chunks.append(_read(model, levelled))
    milestone_days = {m: np.concatenate([c[0][m] for c in chunks]) for m, _, _ in model.milestones}
    return Outcome(
        model=model,
        milestone_days=milestone_days,
        target_days=np.concatenate([c[1] for c in chunks]),
        on_chain=np.concatenate([c[2] for c in chunks]),
        chain_people=np.concatenate([c[3] for c in chunks]),
        wait=np.concatenate([c[4] for c in chunks]),
        people_links=np.concatenate([c[5] for c in chunks]),
    )


def _read(
    model: ForecastModel, levelled: Levelled
) -> tuple[dict[str, IntArray], IntArray, Bools, Bools, IntArray, Floats]:
    ends = levelled.ends
    samples = ends.shape[0]
    days: dict[str, IntArray] = {}
    for milestone, members, finished in model.milestones:
        if members:
            days[milestone] = np.maximum(ends[:, list(members)].max(axis=1), finished)
        else:
            days[milestone] = np.full(samples, finished, dtype=np.int64)
    on_chain = np.zeros(ends.shape, dtype=np.bool_)
    chain_people = np.zeros(ends.shape, dtype=np.bool_)
    if model.size == 0:
        return days, np.zeros(samples, dtype=np.int64), on_chain, chain_people, ends, np.zeros(0)
    target = ends.max(axis=1)
    # the last item to finish (latest in the plan's order on a tie) ends the chain
    current = model.size - 1 - np.argmax(ends[:, ::-1], axis=1)
    active = np.ones(samples, dtype=np.bool_)
    rows = np.arange(samples)
    links = np.zeros(samples, dtype=np.int64)
    people_links = np.zeros(samples, dtype=np.int64)
    for _ in range(model.size):
        if not active.any():
            break
        here, at = rows[active], current[active]
        on_chain[here, at] = True
        waited = levelled.waited_for_people[here, at]
        chain_people[here, at] = waited
        links[here] += 1
        people_links[here] += waited
        following = levelled.link[here, at]
        current[here] = np.maximum(following, 0)
        # a link always points to an item placed earlier; the walk cannot cycle
        active[here] = (following != NO_LINK) & ~on_chain[here, np.maximum(following, 0)]
    share = people_links / np.maximum(links, 1)
    return days, target, on_chain, chain_people, levelled.wait, share


def summarise(plan: Plan, outcome: Outcome, samples: int, seed: int) -> ForecastSummary:
    """Percentile dates per overall milestone and the target, deadline odds, critical items."""
    calendar = WorkCalendar(plan.start, plan.sprint_weeks)
    model = outcome.model
    deadline_day = calendar.finish_by_index(plan.deadline) if plan.deadline else None
    overall = sorted(plan.overall_milestones, key=lambda m: (m.level, m.day))
    milestones = []
    for milestone in overall:
        days = outcome.milestone_days[milestone.id]
        milestones.append(
            _milestone(
                milestone.id,
                milestone.title,
                milestone.level,
                milestone.date,
                days,
                calendar,
                milestone.deadline,
                deadline_day if milestone.deadline else None,
            )
        )
    critical = []
    if model.size:
        index = outcome.on_chain.mean(axis=0)
        for item in np.argsort(-index, kind="stable")[:CRITICAL_SHOWN]:
            share = float(index[item])
            if share <= 0:
                break
            chain = outcome.on_chain[:, item]
            waited = outcome.chain_people[chain, item]
            people = float(waited.mean())
            waits = outcome.wait[chain, item][waited]
            critical.append(
                CriticalCapability(
                    id=model.ids[item],
                    title=model.titles[item],
                    index=round(share, 4),
                    waiting_for_prerequisite=round(1 - people, 4),
                    waiting_for_people=round(people, 4),
                    mean_wait_days=round(float(waits.mean()), 1) if waits.size else 0.0,
                )
            )
    return ForecastSummary(
        samples=samples,
        seed=seed,
        distribution=DISTRIBUTION,
        milestones=tuple(milestones),
        critical=tuple(critical),
        chain_people_share=round(float(outcome.people_links.mean()), 4)
        if outcome.people_links.size
        else 0.0,
    )


def _milestone(
    milestone_id: str,
    title: str,
    level: int,
    optimal: dt.date,
    days: IntArray,
    calendar: WorkCalendar,
    deadline: dt.date | None,
    deadline_day: int | None,
) -> MilestoneForecast:
    def date_of(day: int) -> dt.date:
        return calendar.end_date(day) if day > 0 else calendar.origin

    p50, p85, p95 = (int(q) for q in np.quantile(days, [0.5, 0.85, 0.95], method="inverted_cdf"))
    low, high = int(days.min()), int(days.max())
    points = np.unique(np.linspace(low, high, CURVE_POINTS).round().astype(np.int64))
    ordered = np.sort(days)
    reached = np.searchsorted(ordered, points, side="right") / days.size
    return MilestoneForecast(
        id=milestone_id,
        title=title,
        level=level,
        optimal=optimal,
        p50=date_of(p50),
        p85=date_of(p85),
        p95=date_of(p95),
        deadline=deadline,
        deadline_probability=round(float((days <= deadline_day).mean()), 4)
        if deadline_day is not None
        else None,
        by_date=tuple(
            (date_of(int(d)), round(float(r), 4)) for d, r in zip(points, reached, strict=True)
        ),
    )


def forecast_plan(
    plan: Plan, *, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, debug: bool = False
) -> ForecastSummary:
    """The plan's forecast: ``samples`` Monte Carlo samples, each re-levelled on the team.

    ``debug``: every sample's schedule goes through an independent checker first; a
    violation raises :class:`PlannerError` (a bug of ours, never expected).
    """
    model = build_model(plan)
    kept: list[tuple[IntArray, Levelled]] | None = [] if debug else None
    outcome = simulate(model, samples, seed, keep=kept)
    if kept is not None:
        from planner.forecast.verify import check_samples

        for durations, chunk in kept:
            violations = check_samples(plan, model.ids, durations, chunk.starts, chunk.ends)
            if violations:
                raise PlannerError(
                    "a forecast sample breaks the plan's rules: " + "; ".join(violations[:5])
                )
    return summarise(plan, outcome, samples, seed)


def with_forecast(plan: Plan, *, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> Plan:
    """The plan with its forecast summary when any estimate it uses has a range."""
    model = build_model(plan)
    if not model.has_ranges:
        return plan
    forecast = summarise(plan, simulate(model, samples, seed), samples, seed)
    return replace(plan, forecast=forecast)
