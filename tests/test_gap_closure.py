"""Gap analysis: the transitive prerequisites of the target minus what is done, with reasons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.assessment import assess
from planner.catalog import Catalog
from planner.engagement import CapabilityState, CurrentState, Target
from planner.errors import InputError
from planner.gap import Gap, compute_gap
from tests.conftest import make_catalog

# core: a (1) <- b (1) <- c (2) <- d (3);  ops: x (1), y (2) needs x and b, z (3) needs d
CATALOG = make_catalog(
    [
        ("a", "core", 1, []),
        ("b", "core", 1, ["a"]),
        ("c", "core", 2, ["b"]),
        ("d", "core", 3, ["c"]),
        ("x", "ops", 1, []),
        ("y", "ops", 2, ["x", "b"]),
        ("z", "ops", 3, ["d"]),
    ]
)


def gap_for(catalog: Catalog, done: set[str], target: Target) -> Gap:
    current = CurrentState(capabilities={c: CapabilityState.done() for c in done})
    return compute_gap(catalog, assess(catalog, current), target)


def test_level_two_needs_every_level_one_and_two_capability_not_done() -> None:
    # a is done; level 2 is a, b, c, x, y -> gap b, x, c, y (sorted by level, area, id)
    gap = gap_for(CATALOG, {"a"}, Target(level=2))
    assert gap.ids == ("b", "x", "c", "y")
    reasons = {item.id: item.reasons for item in gap.items}
    assert reasons["b"] == ("level 1 · Core", "needed by c, y")
    assert reasons["y"] == ("level 2 · Ops",)
    assert gap.current_overall == 0 and gap.target_overall == 2


def test_an_included_capability_pulls_in_its_missing_prerequisites() -> None:
    # target level 1 (a, b, x) plus z: z needs d needs c needs b -> b, x, c, d, z
    gap = gap_for(CATALOG, {"a"}, Target(level=1, include=("z",)))
    assert gap.ids == ("b", "x", "c", "d", "z")
    reasons = {item.id: item.reasons for item in gap.items}
    assert reasons["z"] == ("included by the target",)
    assert reasons["d"] == ("needed by z",)
    assert reasons["c"] == ("needed by d",)


def test_a_done_capability_stops_the_walk() -> None:
    # c is done, so d's prerequisites b and a are not needed for d (nothing else wants them)
    gap = gap_for(CATALOG, {"c", "x"}, Target(areas={"core": 3, "ops": 0}))
    assert gap.ids == ("a", "b", "d")  # a, b still wanted for core level 1 itself
    gap = gap_for(CATALOG, {"c", "x"}, Target(level=0, include=("d",)))
    assert gap.ids == ("d",)


def test_excluding_a_capability_nothing_else_needs_removes_it() -> None:
    gap = gap_for(CATALOG, set(), Target(level=1, exclude=("x",)))
    assert gap.ids == ("a", "b")


def test_excluding_a_needed_prerequisite_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        gap_for(CATALOG, set(), Target(level=2, exclude=("b",)))
    assert str(caught.value) == (
        "engagement.yaml: target.exclude[0]: 'b' is excluded but c, y need it; "
        "also exclude them or keep 'b'"
    )


def test_milestones_grow_with_the_level() -> None:
    # nothing done, target 3: core 1 = a, b; core 2 adds c; core 3 adds d
    gap = gap_for(CATALOG, set(), Target(level=3))
    scopes = {m.id: m.needs for m in gap.milestones}
    assert scopes["level-1-core"] == ("a", "b")
    assert scopes["level-2-core"] == ("a", "b", "c")
    assert scopes["level-3-core"] == ("a", "b", "c", "d")
    # ops 3 needs z, whose prerequisites are d, c, b, a
    assert scopes["level-3-ops"] == ("a", "b", "c", "d", "x", "y", "z")
    assert scopes["level-3"] == tuple(sorted(CATALOG.by_id))


# ------------------------------------------------------------------ random catalogs


def reference_gap(catalog: Catalog, done: set[str], roots: set[str]) -> set[str]:
    """Fixpoint: start from the roots not done; add every not-done prerequisite of a member."""
    gap = roots - done
    while True:
        grown = gap | {p for c in gap for p in catalog[c].prerequisite_ids} - done
        if grown == gap:
            return gap
        gap = grown


@st.composite
def gap_cases(draw: st.DrawFn) -> tuple[Catalog, set[str], Target]:
    size = draw(st.integers(1, 14))
    specs = []
    for i in range(size):
        prerequisites = draw(st.lists(st.integers(0, i - 1), max_size=3)) if i else []
        specs.append(
            (
                f"c{i:02d}",
                draw(st.sampled_from(["core", "ops"])),
                draw(st.integers(1, 3)),
                sorted({f"c{p:02d}" for p in prerequisites}),
            )
        )
    catalog = make_catalog(specs)
    ids = sorted(catalog.by_id)
    done = set(draw(st.lists(st.sampled_from(ids), unique=True)))
    level = draw(st.integers(0, 3))
    include = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)))
    return catalog, done, Target(level=level, include=include)


@settings(max_examples=300, deadline=None)
@given(gap_cases())
def test_the_gap_is_the_transitive_closure_of_the_target_minus_done(
    case: tuple[Catalog, set[str], Target],
) -> None:
    catalog, done, target = case
    gap = gap_for(catalog, done, target)
    assert target.level is not None
    direct = {c.id for c in catalog.capabilities if c.level <= target.level}
    assert set(gap.ids) == reference_gap(catalog, done, direct | set(target.include))
    assert len(set(gap.ids)) == len(gap.ids)
    todo = set(gap.ids)
    for item in gap.items:
        assert item.reasons, f"{item.id} has no reason"
        for reason in item.reasons:
            if reason == "included by the target":
                assert item.id in target.include
            elif reason.startswith("needed by "):
                users = reason.removeprefix("needed by ").split(", ")
                for user in users:
                    assert user in todo and item.id in catalog[user].prerequisite_ids
                # and every dependant in the gap is named
                assert set(users) == {u for u in todo if item.id in catalog[u].prerequisite_ids}
            else:
                area = catalog.areas[item.capability.area]
                assert reason == f"level {item.capability.level} · {area}"
                assert item.capability.level <= target.level
        # closure: whatever a gap item needs is done or in the gap too
        for prerequisite in item.capability.prerequisite_ids:
            assert prerequisite in done or prerequisite in todo
