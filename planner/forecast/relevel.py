"""Re-levelling every sample at once: a serial schedule generation scheme over numpy arrays.

Items are placed one at a time in the plan's order (its priority). For each item, every
sample gets at once the earliest day that its prerequisites (with lags) allow and on which
its people are free for its whole drawn duration, given the items placed before it; holes
left earlier in a sample are filled when an item fits. The reason of each start is kept:
the prerequisite that set it, or the item whose people it waited for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.errors import PlannerError
from planner.forecast.model import ForecastModel, IntArray, safe_start_horizon

NO_LINK = -1
FIRST_SLACK = 8
"""Candidate starts tried at once beyond the earliest one; doubled while none fits."""
MAX_SLACK = 1024
HORIZON_LIMIT = 200_000
"""Working days (about 770 years) beyond which a sample is declared impossible."""


@dataclass(frozen=True)
class Levelled:
    """Starts and ends (exclusive) per sample and item, and why each item started then."""

    starts: IntArray
    ends: IntArray
    link: IntArray
    """The item whose end set the start (a prerequisite, or the holder of the people waited
    for); ``NO_LINK`` when the start was set by the item's earliest day or a team change."""
    waited_for_people: npt.NDArray[np.bool_]
    wait: IntArray
    """Working days between the day the prerequisites allowed and the start."""


class _Board:
    """Free people per role, sample and day, and which item's end frees them on each day."""

    def __init__(self, model: ForecastModel, samples: int, horizon: int) -> None:
        self.model = model
        self.samples = samples
        self.horizon = 0
        roles = len(model.roles)
        self.free = np.zeros((roles, samples, 0), dtype=np.int16)
        self.ender = np.zeros((roles, samples, 0), dtype=np.int32)
        self.grow(horizon)

    def grow(self, needed: int) -> None:
        if needed <= self.horizon:
            return
        if needed > HORIZON_LIMIT:
            raise PlannerError(
                "a forecast sample runs past 200,000 working days: the team cannot staff "
                "some work (a role that leaves for good?); check the team's changes"
            )
        horizon = max(needed, 2 * self.horizon)
        extra = horizon - self.horizon
        rows = np.stack([self.model.capacity_row(r, horizon) for r in range(len(self.model.roles))])
        tail = np.broadcast_to(rows[:, None, self.horizon :], (rows.shape[0], self.samples, extra))
        self.free = np.concatenate([self.free, tail.astype(np.int16)], axis=2)
        self.ender = np.concatenate(
            [self.ender, np.full((rows.shape[0], self.samples, extra), NO_LINK, np.int32)], axis=2
        )
        self.horizon = horizon


def relevel(model: ForecastModel, durations: IntArray) -> Levelled:
    """Schedule every sample's durations (``[samples, items]``) on the plan's team."""
    samples, size = durations.shape
    starts = np.zeros((samples, size), dtype=np.int64)
    ends = np.zeros((samples, size), dtype=np.int64)
    link = np.full((samples, size), NO_LINK, dtype=np.int64)
    people = np.zeros((samples, size), dtype=np.bool_)
    wait = np.zeros((samples, size), dtype=np.int64)
    board = _Board(model, samples, safe_start_horizon(model))
    rows = np.arange(samples)
    for item in range(size):
        ready = np.full(samples, model.earliest[item], dtype=np.int64)
        after = np.full(samples, NO_LINK, dtype=np.int64)
        for before, lag in model.predecessors[item]:
            candidate = ends[:, before] + lag
            later = candidate > ready
            ready = np.where(later, candidate, ready)
            after = np.where(later, before, after)
        days = durations[:, item]
        demands = model.demands[item]
        slack = model.wait_hints[item] if model.wait_hints is not None else FIRST_SLACK
        start = _earliest_fit(board, demands, ready, days, slack) if demands else ready
        finish = start + days
        board.grow(int(finish.max()) + 1)
        late = start > ready
        blocker = np.full(samples, NO_LINK, dtype=np.int64)
        if late.any():
            held = rows[late]
            before_day = start[late] - 1
            found = np.zeros(held.size, dtype=np.bool_)
            for role, units in demands:
                short = ~found & (board.free[role, held, before_day] < units)
                blocker[held[short]] = board.ender[role, held[short], start[late][short]]
                found |= short
        span = int(days.max())
        offsets = np.arange(span)
        cells = start[:, None] + offsets
        inside = offsets < days[:, None]
        for role, units in demands:
            board.free[role][rows[:, None], cells] -= units * inside
            board.ender[role, rows, finish] = item
        starts[:, item], ends[:, item] = start, finish
        people[:, item] = late
        wait[:, item] = start - ready
        link[:, item] = np.where(late, blocker, after)
    return Levelled(starts, ends, link, people, wait)


def _earliest_fit(
    board: _Board,
    demands: tuple[tuple[int, int], ...],
    ready: IntArray,
    days: IntArray,
    slack: int = FIRST_SLACK,
) -> IntArray:
    """Per sample, the first day >= ``ready`` from which every role has the people free
    for ``days`` working days."""
    model = board.model
    last_change = max((day for steps in model.capacity for day, _ in steps), default=0)
    never = any(model.final_capacity(role) < units for role, units in demands)
    start = np.empty_like(ready)
    pending = np.arange(ready.size)
    first = ready.copy()
    while pending.size:
        length = days[pending]
        window = int(length.max()) + slack
        board.grow(int(first[pending].max()) + window + 1)
        horizon = board.horizon
        cells = (pending * horizon + first[pending])[:, None] + np.arange(window)
        blocked = np.zeros((pending.size, window), dtype=np.bool_)
        for role, units in demands:
            blocked |= np.take(board.free[role].reshape(-1), cells) < units
        counts = np.zeros((pending.size, window + 1), dtype=np.int32)
        np.cumsum(blocked, axis=1, out=counts[:, 1:])
        rows = (np.arange(pending.size) * (window + 1))[:, None]
        candidates = rows + np.arange(slack + 1)
        flat = counts.reshape(-1)
        busy = np.take(flat, candidates + length[:, None]) - np.take(flat, candidates)
        fits = busy == 0
        fitted = fits.any(axis=1)
        start[pending[fitted]] = first[pending[fitted]] + fits[fitted].argmax(axis=1)
        pending = pending[~fitted]
        first[pending] += slack + 1
        slack = min(2 * slack, MAX_SLACK)
        if never and pending.size and int(first[pending].min()) > last_change:
            raise PlannerError(
                "in some forecast samples the team cannot staff the work any more: people "
                "of a role it needs leave for good before it can be done; check the team's "
                "changes or widen no range"
            )
    return start
