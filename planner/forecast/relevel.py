"""Re-levelling every sample at once: a serial schedule generation scheme over numpy arrays.

Items are placed one at a time in the plan's order (its priority). For each item, every
sample gets at once the earliest day that its prerequisites (with lags) allow and on which
its people are free for its whole drawn duration, given the items placed before it; holes
left earlier in a sample are filled when an item fits. The reason of each start is kept:
the prerequisite that set it, or the item whose people it waited for.

The search for free people works on bits: per role and head-count an item asks for, the board
keeps one bit per day (enough people free), packed 64 days to a word. The starts from which a
run of ``d`` free days begins are found with a few shifts and ANDs per word (runs of 1, 2, 4,
... days combined by the binary digits of ``d``), so a wait of months costs a few words per
sample instead of a pass over every day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.errors import PlannerError
from planner.forecast.model import ForecastModel, IntArray, safe_start_horizon

NO_LINK = -1
FIRST_SLACK = 32
"""Candidate starts tried at once beyond the earliest one (at least; more when the plan
itself waited longer); doubled while none fits."""
MAX_SLACK = 1024
WORD = 64
"""Days per word of the board's bits; the board's horizon is a multiple of it."""
ALL = np.uint64(2**64 - 1)
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
        asked = {pair for demands in model.demands for pair in demands}
        self.bits: dict[tuple[int, int], npt.NDArray[np.uint64]] = {
            pair: np.zeros((samples, 0), dtype=np.uint64) for pair in sorted(asked)
        }
        """Per ``(role, people)``: one bit per sample and day, set when that many are free."""
        self.grow(horizon)

    def grow(self, needed: int) -> None:
        if needed <= self.horizon:
            return
        if needed > HORIZON_LIMIT:
            raise PlannerError(
                "a forecast sample runs past 200,000 working days: the team cannot staff "
                "some work (a role that leaves for good?); check the team's changes"
            )
        horizon = -(-max(needed, 2 * self.horizon) // WORD) * WORD
        extra = horizon - self.horizon
        rows = np.stack([self.model.capacity_row(r, horizon) for r in range(len(self.model.roles))])
        tail = np.broadcast_to(rows[:, None, self.horizon :], (rows.shape[0], self.samples, extra))
        self.free = np.concatenate([self.free, tail.astype(np.int16)], axis=2)
        self.ender = np.concatenate(
            [self.ender, np.full((rows.shape[0], self.samples, extra), NO_LINK, np.int32)], axis=2
        )
        for (role, people), bits in self.bits.items():
            words = _pack(rows[role, self.horizon :] >= people)
            added = np.broadcast_to(words, (self.samples, words.size))
            self.bits[role, people] = np.concatenate([bits, added], axis=1)
        self.horizon = horizon

    def refresh(self, role: int, start: IntArray, finish: IntArray) -> None:
        """Re-derive the bits of ``role`` over ``[start, finish)`` of every sample."""
        first = start // WORD
        count = int(((finish - 1) // WORD - first).max()) + 1
        words = np.minimum(first[:, None] + np.arange(count), self.horizon // WORD - 1)
        rows = np.arange(self.samples)[:, None]
        free = self.free[role].reshape(self.samples, -1, WORD)[rows, words]
        free = free.reshape(self.samples, count * WORD)
        for (owner, people), bits in self.bits.items():
            if owner == role:
                bits[rows, words] = _pack(free >= people)


def _pack(flags: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint64]:
    """Days (last axis, a multiple of 64) as words: bit ``j`` of word ``w`` is day ``64w + j``."""
    packed = np.packbits(flags, axis=-1, bitorder="little")
    return packed.view("<u8").astype(np.uint64, copy=False)


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
        slack = max(model.wait_hints[item] if model.wait_hints else 0, FIRST_SLACK)
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
            board.refresh(role, start, finish)
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
        fitted, offset = _first_run(board, demands, pending, first[pending], length, slack)
        start[pending[fitted]] = first[pending[fitted]] + offset[fitted]
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


def _first_run(
    board: _Board,
    demands: tuple[tuple[int, int], ...],
    pending: IntArray,
    first: IntArray,
    length: IntArray,
    slack: int,
) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """Per pending sample, whether one of the starts ``first + 0 .. first + slack`` has the
    people free for ``length`` days, and the first such offset."""
    base = first // WORD
    lead = first % WORD
    count = (WORD + slack + int(length.max())) // WORD + 1
    board.grow(int((base.max() + count) * WORD))
    words = base[:, None] + np.arange(count)
    free = np.full((pending.size, count), ALL, dtype=np.uint64)
    for role, units in demands:
        free &= board.bits[role, units][pending[:, None], words]
    runs = free  # bit p: a run of 2**k free days begins at p
    fits = np.full_like(free, ALL)
    shift = np.zeros(pending.size, dtype=np.int64)
    for k in range(int(length.max()).bit_length()):
        if k:
            runs = runs & _shifted(runs, 1 << (k - 1))
        used = ((length >> k) & 1).astype(np.bool_)
        if used.any():
            fits = np.where(used[:, None], fits & _shifted(runs, shift), fits)
            shift += used * (1 << k)
    places = np.arange(count) * WORD
    fits &= _below(lead[:, None] + slack + 1 - places) & ~_below(lead[:, None] - places)
    some = fits != 0
    fitted = some.any(axis=1)
    word = some.argmax(axis=1)
    value = fits[np.arange(pending.size), word]
    lowest = value & (~value + np.uint64(1))
    bit = np.frexp(lowest.astype(np.float64))[1] - 1
    return fitted, (word * WORD + bit - lead).astype(np.int64)


def _shifted(words: npt.NDArray[np.uint64], by: IntArray | int) -> npt.NDArray[np.uint64]:
    """Each row's bits moved down by ``by`` (one for all rows or one per row): bit ``p``
    becomes bit ``p + by``'s; bits past the row's end read as clear."""
    rows, count = words.shape
    if isinstance(by, int):
        step, rest = divmod(by, WORD)
        low = np.zeros_like(words)
        high = np.zeros_like(words)
        low[:, : max(count - step, 0)] = words[:, step:]
        high[:, : max(count - step - 1, 0)] = words[:, step + 1 :]
        if not rest:
            return low
        return (low >> np.uint64(rest)) | (high << np.uint64(WORD - rest))
    padded = np.zeros((rows, count + int(by.max()) // WORD + 1), dtype=np.uint64)
    padded[:, :count] = words
    at = (by // WORD)[:, None] + np.arange(count)
    lines = np.arange(rows)[:, None]
    low = padded[lines, at]
    high = padded[lines, at + 1]
    within = (by % WORD).astype(np.uint64)[:, None]
    carried = np.where(within > 0, high << ((np.uint64(WORD) - within) % np.uint64(WORD)), 0)
    moved: npt.NDArray[np.uint64] = (low >> within) | carried.astype(np.uint64)
    return moved


def _below(bits: IntArray) -> npt.NDArray[np.uint64]:
    """Words with their lowest ``bits`` bits set (clipped to 0 .. 64)."""
    clipped = np.clip(bits, 0, WORD)
    part = (np.uint64(1) << np.minimum(clipped, WORD - 1).astype(np.uint64)) - np.uint64(1)
    return np.where(clipped >= WORD, ALL, part).astype(np.uint64)
