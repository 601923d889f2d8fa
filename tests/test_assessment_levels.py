"""Assessment: area levels derived from answers, and the disagreements it reports."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.assessment import area_level, assess
from planner.engagement import CapabilityState, CurrentState, Status
from tests.conftest import make_catalog

# core: a (1), b (1), c (2), d (3);  ops: x (1), y (2)
CATALOG = make_catalog(
    [
        ("a", "core", 1, []),
        ("b", "core", 1, ["a"]),
        ("c", "core", 2, ["b"]),
        ("d", "core", 3, ["c"]),
        ("x", "ops", 1, []),
        ("y", "ops", 2, ["x", "b"]),
    ]
)
DONE = CapabilityState.done()
MISSING = CapabilityState.missing()
PARTIAL = CapabilityState("partial", 0.5)


def test_an_area_is_at_the_highest_level_whose_capabilities_and_lower_ones_are_done() -> None:
    # core: a, b, d done but c (level 2) partial -> level 1; d being done does not help
    states = {"a": DONE, "b": DONE, "c": PARTIAL, "d": DONE, "x": MISSING, "y": DONE}
    assert area_level(CATALOG, "core", states) == 1
    # ops: x (level 1) missing -> level 0 even though y (level 2) is done
    assert area_level(CATALOG, "ops", states) == 0


def test_answers_win_over_stated_levels_and_the_overall_level_is_the_lowest_area() -> None:
    # stated level 2 marks a, b, c, x, y done; the answer 'c: missing' wins -> core 1;
    # ops has nothing at level 3, so with x and y done it is at level 3 (the top)
    result = assess(CATALOG, CurrentState(level=2, capabilities={"c": MISSING}))
    assert result.states["a"].status == "done"
    assert result.states["a"].evidence == "implied by stated level 2"
    assert result.states["c"].status == "missing"
    assert result.states["d"].status == "missing"
    assert dict(result.area_levels) == {"core": 1, "ops": 3}
    assert result.overall_level == 1


def test_a_stated_level_above_the_answers_is_reported_with_the_blocking_capabilities() -> None:
    result = assess(CATALOG, CurrentState(level=2, capabilities={"c": MISSING}))
    assert result.discrepancies == (
        "current.level says Core is at level 2, but the answers put it at level 1: "
        "not done: c (level 2, missing)",
    )


def test_answers_above_a_stated_area_level_are_reported() -> None:
    # core stated at 1 (a, b implied done); c answered done -> core is really at level 2
    current = CurrentState(areas={"core": 1}, capabilities={"c": DONE})
    result = assess(CATALOG, current)
    assert result.area_levels["core"] == 2
    assert result.discrepancies == (
        "current.areas.core says Core is at level 1, but every capability up to level 2 is "
        "answered done: the area is at level 2",
    )


def test_a_stated_overall_level_that_the_area_levels_contradict_is_reported() -> None:
    # overall 2, but ops stated at 0 -> ops 0, core 2 -> overall 0
    result = assess(CATALOG, CurrentState(level=2, areas={"ops": 0}))
    assert dict(result.area_levels) == {"core": 2, "ops": 0}
    assert (
        "current.level says 2, but the area levels put the organisation at level 0 "
        "(the lowest area level)" in result.discrepancies
    )


def test_consistent_answers_report_nothing() -> None:
    result = assess(CATALOG, CurrentState(level=1, capabilities={"a": DONE, "c": MISSING}))
    assert result.discrepancies == ()
    assert result.overall_level == 1


def test_nothing_stated_and_nothing_answered_is_level_zero_everywhere() -> None:
    result = assess(CATALOG, CurrentState())
    assert dict(result.area_levels) == {"core": 0, "ops": 0}
    assert result.overall_level == 0
    assert result.discrepancies == ()


# ------------------------------------------------------------------ random assessments

STATUSES: list[Status] = ["done", "partial", "missing"]


@st.composite
def random_assessments(
    draw: st.DrawFn,
) -> tuple[list[tuple[str, str, int]], dict[str, CapabilityState]]:
    caps = [
        (f"c{i}", draw(st.sampled_from(["core", "ops"])), draw(st.integers(1, 3)))
        for i in range(draw(st.integers(0, 10)))
    ]
    states = {cid: CapabilityState(draw(st.sampled_from(STATUSES))) for cid, _, _ in caps}
    return caps, states


@settings(max_examples=300, deadline=None)
@given(random_assessments())
def test_derived_area_level_satisfies_its_definition(
    case: tuple[list[tuple[str, str, int]], dict[str, CapabilityState]],
) -> None:
    caps, states = case
    catalog = make_catalog([(cid, area, level, []) for cid, area, level in caps])
    result = assess(catalog, CurrentState(capabilities=states))

    def all_done_up_to(area: str, level: int) -> bool:
        return all(states[c].status == "done" for c, a, lv in caps if a == area and lv <= level)

    for area in catalog.areas:
        level = result.area_levels[area]
        # every capability of the area at this level or below is done ...
        assert all_done_up_to(area, level)
        # ... and the next level is not reached (or there is none)
        assert level == catalog.max_level or not all_done_up_to(area, level + 1)
    assert result.overall_level == min(result.area_levels.values())
    assert result.discrepancies == ()  # nothing stated, nothing to disagree with


@settings(max_examples=200, deadline=None)
@given(random_assessments(), st.integers(0, 3))
def test_a_stated_level_disagrees_exactly_when_an_answer_says_so(
    case: tuple[list[tuple[str, str, int]], dict[str, CapabilityState]], stated: int
) -> None:
    caps, states = case
    catalog = make_catalog([(cid, area, level, []) for cid, area, level in caps])
    result = assess(
        catalog, CurrentState(areas=dict.fromkeys(catalog.areas, stated), capabilities=states)
    )
    for area, title in catalog.areas.items():
        notes = [n for n in result.discrepancies if n.startswith(f"current.areas.{area} ")]
        actual = result.area_levels[area]
        assert bool(notes) == (
            actual != stated and (actual < stated or any(a == area for _, a, _ in caps))
        ), (area, actual, stated, notes)
        for note in notes:
            assert f"says {title} is at level {stated}" in note
            if actual < stated:
                # every capability named as blocking is at or below the stated level, not done
                blocking = re.findall(r"(\S+) \(level (\d), (\w+)\)", note)
                assert blocking
                for cid, level, status in blocking:
                    assert states[cid].status == status != "done"
                    assert catalog[cid].level == int(level) <= stated
