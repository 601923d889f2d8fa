"""The plan as arrays for the forecast: items in the plan's order, their ranges, their people,
their prerequisites and lags, and the people of each role on every working day."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.errors import PlannerError
from planner.plan import Plan

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ForecastModel:
    """Everything one sample needs, indexed by position in the plan's order (its priority).

    Only work still to do is simulated; items done before a re-plan are history and only
    move their successors' earliest starts.
    """

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    plan_days: IntArray
    """Each item's duration in the plan (working days)."""
    low: FloatArray
    likely: FloatArray
    high: FloatArray
    earliest: IntArray
    """First day each item may start (not_before, a pin, or a finished prerequisite's lag)."""
    predecessors: tuple[tuple[tuple[int, int], ...], ...]
    """Per item, ``(position of a prerequisite, lag in days)``."""
    demands: tuple[tuple[tuple[int, int], ...], ...]
    """Per item, ``(role index, people)``."""
    roles: tuple[str, ...]
    capacity: tuple[tuple[tuple[int, int], ...], ...]
    """Per role, ``(from day, people)`` steps starting at day 0."""
    milestones: tuple[tuple[str, tuple[int, ...], int], ...]
    """``(milestone id, positions of its open items, the latest day of its finished ones)``."""
    plan_end: int
    wait_hints: tuple[int, ...] | None = None
    """Per item, how many candidate starts to try in one go (a hint from the plan's own
    waits for people; it sizes the search, never skips a day)."""

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def has_ranges(self) -> bool:
        return bool(np.any(self.high > self.low))

    def capacity_row(self, role: int, horizon: int) -> IntArray:
        """People of a role on each day ``0 .. horizon - 1``."""
        row = np.zeros(horizon, dtype=np.int64)
        for day, people in self.capacity[role]:
            row[max(day, 0) :] = people
        return row

    def final_capacity(self, role: int) -> int:
        return self.capacity[role][-1][1] if self.capacity[role] else 0


def build_model(plan: Plan) -> ForecastModel:
    """Arrays of the plan; raises :class:`PlannerError` for a plan file made without them."""
    open_items = [i for i in plan.items if i.state != "done"]
    if open_items and not plan.capacity:
        raise PlannerError(
            "this plan file has no team calendar (it was written by an older version); "
            "re-create it with 'mlops-planner plan --out FILE'"
        )
    open_items.sort(key=lambda i: (i.start_day, i.end_day, i.id))
    position = {item.id: n for n, item in enumerate(open_items)}
    done_end = {i.id: i.end_day for i in plan.items if i.state == "done"}
    roles = tuple(sorted(plan.capacity))
    role_index = {r: n for n, r in enumerate(roles)}
    low, likely, high, earliest, plan_days = [], [], [], [], []
    predecessors: list[tuple[tuple[int, int], ...]] = []
    demands: list[tuple[tuple[int, int], ...]] = []
    ready: list[int] = []
    for item in open_items:
        days = item.end_day - item.start_day
        spread = item.duration_range
        if spread is None or not spread.pessimistic > spread.optimistic:
            low.append(float(days))
            likely.append(float(days))
            high.append(float(days))
        else:
            low.append(spread.optimistic)
            likely.append(spread.likely)
            high.append(spread.pessimistic)
        plan_days.append(days)
        first = item.earliest_day
        links = []
        for before in item.requires:
            lag = item.lags.get(before, 0)
            if before in position:
                links.append((position[before], lag))
            elif before in done_end:
                first = max(first, done_end[before] + lag)
        if item.state == "in-progress":
            links = []  # started before the re-plan: no longer held back by prerequisites
        earliest.append(first)
        predecessors.append(tuple(links))
        ready.append(max([first, *(open_items[p].end_day + lag for p, lag in links)]))
        held = item.demands  # each role's anonymous people, each named person
        for role in held:
            if role not in role_index:
                raise PlannerError(
                    f"{item.id} needs {role}, which has no people in the plan's team calendar"
                )
        demands.append(tuple((role_index[r], n) for r, n in sorted(held.items()) if n))
    milestones = []
    for milestone in plan.milestones:
        members = tuple(sorted(position[c] for c in milestone.capabilities if c in position))
        finished = max((done_end[c] for c in milestone.capabilities if c in done_end), default=0)
        milestones.append((milestone.id, members, finished))
    return ForecastModel(
        ids=tuple(i.id for i in open_items),
        titles=tuple(i.title for i in open_items),
        plan_days=np.array(plan_days, dtype=np.int64),
        low=np.array(low, dtype=np.float64),
        likely=np.array(likely, dtype=np.float64),
        high=np.array(high, dtype=np.float64),
        earliest=np.array(earliest, dtype=np.int64),
        predecessors=tuple(predecessors),
        demands=tuple(demands),
        roles=roles,
        capacity=tuple(tuple((step.day, step.people) for step in plan.capacity[r]) for r in roles),
        milestones=tuple(milestones),
        plan_end=max((i.end_day for i in open_items), default=0),
        wait_hints=tuple(_hint(i.start_day - r) for i, r in zip(open_items, ready, strict=True)),
    )


def _hint(wait: int) -> int:
    """Candidate starts to try at once: the next power of two above 1.5 x the plan's wait."""
    return int(min(1024, max(8, 2 ** math.ceil(math.log2(max(wait, 1) * 1.5)))))


def pert_parameters(model: ForecastModel) -> tuple[FloatArray, FloatArray]:
    """The PERT-beta shape parameters (alpha, beta) of each ranged item (1, 1 elsewhere)."""
    width = model.high - model.low
    safe = np.where(width > 0, width, 1.0)
    alpha = np.where(width > 0, 1 + 4 * (model.likely - model.low) / safe, 1.0)
    beta = np.where(width > 0, 1 + 4 * (model.high - model.likely) / safe, 1.0)
    return alpha, beta


def draw_durations(model: ForecastModel, rng: np.random.Generator, samples: int) -> IntArray:
    """Working days per sample and item: PERT-beta over each range, rounded up to whole days.

    Items without a range keep the plan's duration exactly.
    """
    width = model.high - model.low
    ranged = np.flatnonzero(width > 0)
    days = np.broadcast_to(model.plan_days, (samples, model.size)).copy()
    if ranged.size:
        alpha, beta = pert_parameters(model)
        share = rng.beta(alpha[ranged], beta[ranged], size=(samples, ranged.size))
        drawn = model.low[ranged] + share * width[ranged]
        days[:, ranged] = np.maximum(1, np.ceil(np.round(drawn, 6))).astype(np.int64)
    return days


def pert_moments(low: float, likely: float, high: float) -> tuple[float, float]:
    """Mean and variance of the PERT-beta over ``[low, high]`` with mode ``likely``."""
    mean = (low + 4 * likely + high) / 6
    if high <= low:
        return mean, 0.0
    alpha = 1 + 4 * (likely - low) / (high - low)
    beta = 1 + 4 * (high - likely) / (high - low)
    variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)) * (high - low) ** 2
    return mean, variance


def safe_start_horizon(model: ForecastModel) -> int:
    """A first guess of the days a sample needs; the simulation grows it when needed."""
    longest = math.ceil(float(model.high.max())) if model.size else 1
    return int(model.plan_end * 1.6) + 2 * longest + 64
