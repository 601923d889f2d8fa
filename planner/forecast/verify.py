"""The debug mode's checker: every sample's schedule against the plan, read afresh.

Independent of the re-levelling code: it reads the plan's items, prerequisites, lags,
earliest days and team calendar itself and checks, per sample, durations, precedence, the
earliest days and the people of each role on every working day.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from planner.plan import Plan

IntArray = npt.NDArray[np.int64]


def check_samples(
    plan: Plan, ids: tuple[str, ...], durations: IntArray, starts: IntArray, ends: IntArray
) -> list[str]:
    """Every way the sampled schedules break the plan's rules (empty when all are sound)."""
    out: list[str] = []
    column = {cap_id: n for n, cap_id in enumerate(ids)}
    items = {i.id: i for i in plan.items}
    done = {i.id: i.end_day for i in plan.items if i.state == "done"}
    if not np.array_equal(ends - starts, durations):
        bad = np.argwhere(ends - starts != durations)[0]
        out.append(f"sample {bad[0]}: {ids[bad[1]]} does not last its drawn duration")
    for cap_id, n in column.items():
        item = items[cap_id]
        early = starts[:, n] < item.earliest_day
        if early.any():
            out.append(f"{cap_id} starts before day {item.earliest_day} in {early.sum()} samples")
        if item.state == "in-progress":
            continue
        for before in item.requires:
            lag = item.lags.get(before, 0)
            if before in column:
                broken = starts[:, n] < ends[:, column[before]] + lag
            elif before in done:
                broken = starts[:, n] < done[before] + lag
            else:
                continue
            if broken.any():
                out.append(
                    f"{cap_id} starts before its prerequisite {before} (+{lag} days) in "
                    f"{int(broken.sum())} samples"
                )
    samples = starts.shape[0]
    horizon = int(ends.max()) + 1 if ends.size else 1
    for role, steps in plan.capacity.items():
        use = np.zeros((samples, horizon + 1), dtype=np.int64)
        for cap_id, n in column.items():
            people = items[cap_id].demands.get(role, 0)
            if people:
                np.add.at(use, (np.arange(samples), starts[:, n]), people)
                np.add.at(use, (np.arange(samples), ends[:, n]), -people)
        busy = np.cumsum(use, axis=1)[:, :horizon]
        available = np.zeros(horizon, dtype=np.int64)
        for step in steps:
            available[max(step.day, 0) :] = step.people
        over = busy > available[None, :]
        if over.any():
            sample, day = np.argwhere(over)[0]
            out.append(
                f"sample {sample}: {busy[sample, day]} {role} busy on day {day}, "
                f"{available[day]} available"
            )
    return out
