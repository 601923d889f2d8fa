"""The re-levelling's search for free people against a plain day-by-day serial schedule.

Random teams (joiners, leavers) and items long enough to wait across many 64-day words:
every sample's starts must be exactly those of the naive scheme, which looks at each day.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.forecast import build_model, relevel
from tests.forecast.synthetic import Spec, synthetic_plan

ROLES = ("dev", "ops")


def naive_starts(
    order: list[tuple[int, dict[str, int], list[tuple[int, int]]]],
    capacity: dict[str, list[tuple[int, int]]],
    durations: list[int],
) -> list[int]:
    """Serial schedule: each item, in order, at the first day after its prerequisites (with
    lags) on which its people are free for all of its days."""

    def people(role: str, day: int) -> int:
        return [n for d, n in capacity[role] if d <= day][-1]  # the last step begun

    busy: dict[tuple[str, int], int] = {}
    starts: list[int] = []
    ends: list[int] = []
    for (earliest, demand, before), days in zip(order, durations, strict=True):
        day = max([earliest, *(ends[b] + lag for b, lag in before)])
        while not all(
            busy.get((role, d), 0) + units <= people(role, d)
            for role, units in demand.items()
            for d in range(day, day + days)
        ):
            day += 1
        for role, units in demand.items():
            for d in range(day, day + days):
                busy[role, d] = busy.get((role, d), 0) + units
        starts.append(day)
        ends.append(day + days)
    return starts


item = st.tuples(
    st.integers(1, 90),  # plan days
    st.integers(0, 120),  # plan start (sets the order)
    st.sampled_from([{"dev": 1}, {"dev": 2}, {"ops": 1}, {"dev": 1, "ops": 1}, {"dev": 3}]),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), max_size=2),
)


@settings(max_examples=40, deadline=None)
@given(
    items=st.lists(item, min_size=1, max_size=14),
    changes=st.lists(
        st.tuples(st.sampled_from(ROLES), st.integers(1, 300), st.integers(1, 4)), max_size=4
    ),
    seed=st.integers(0, 2**16),
)
def test_every_start_is_the_first_day_the_people_are_free(
    items: list[tuple[int, int, dict[str, int], list[tuple[int, int]]]],
    changes: list[tuple[str, int, int]],
    seed: int,
) -> None:
    specs: list[Spec] = []
    for n, (days, start, people, links) in enumerate(items):
        requires = sorted({f"c{n - 1 - back % n}" for back, _ in links} if n else set())
        lags = {r: lag for r, (_, lag) in zip(requires, links, strict=False)}
        start = max(
            [
                start,
                *(
                    specs[int(r[1:])].start + specs[int(r[1:])].days + lags.get(r, 0)
                    for r in requires
                ),
            ]
        )  # a plan keeps its prerequisites first
        specs.append(Spec(f"c{n}", days, None, start, people, tuple(requires), lags))
    steps_by_day: dict[str, dict[int, int]] = {role: {0: 3} for role in ROLES}
    for role, day, n in changes:
        steps_by_day[role][day] = n
    capacity = {role: [*sorted(steps.items()), (400, 3)] for role, steps in steps_by_day.items()}
    plan = synthetic_plan(specs, capacity)
    model = build_model(plan)
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 160, size=(6, model.size))
    levelled = relevel(model, durations)
    order = []
    for n in range(model.size):
        demand = {model.roles[r]: units for r, units in model.demands[n]}
        order.append((int(model.earliest[n]), demand, list(model.predecessors[n])))
    steps = {model.roles[r]: list(model.capacity[r]) for r in range(len(model.roles))}
    for sample in range(durations.shape[0]):
        expected = naive_starts(order, steps, [int(d) for d in durations[sample]])
        assert levelled.starts[sample].tolist() == expected
    assert np.array_equal(levelled.ends - levelled.starts, durations)
