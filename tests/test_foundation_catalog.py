"""Catalog meaning checks: cycles (worked examples and random graphs) and overlay merging."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalog import check_catalog, find_cycles
from planner.errors import InputError
from planner.files.catalog_loader import load_catalog
from planner.files.yaml_source import YamlDocument, parse_yaml
from tests.conftest import make_catalog

# ------------------------------------------------------------------ cycles, by hand


def test_a_three_cycle_is_printed_closed_from_its_smallest_id() -> None:
    # b -> c -> a -> b, and d hangs off the cycle without being in it
    graph = {"b": ["c"], "c": ["a"], "a": ["b"], "d": ["a"]}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]


def test_a_self_loop_and_a_separate_two_cycle_are_both_found() -> None:
    graph = {"x": ["x"], "p": ["q"], "q": ["p"], "r": []}
    assert find_cycles(graph) == [["p", "q", "p"], ["x", "x"]]


def test_a_dag_has_no_cycle_and_unknown_targets_are_ignored() -> None:
    # a diamond a <- b, a <- c, b <- d, c <- d, plus an edge to a node not in the graph
    graph = {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c", "elsewhere"]}
    assert find_cycles(graph) == []


def test_the_shortest_cycle_through_the_smallest_id_is_printed() -> None:
    # a -> b -> a is shorter than a -> c -> d -> a in the same component
    graph = {"a": ["c", "b"], "b": ["a"], "c": ["d"], "d": ["a"]}
    assert find_cycles(graph) == [["a", "b", "a"]]


def test_check_catalog_reports_the_cycle_with_arrows() -> None:
    catalog = make_catalog(
        [("a", "core", 1, ["c"]), ("b", "core", 1, ["a"]), ("c", "core", 1, ["b"])]
    )
    problems = [p for p in check_catalog(catalog) if p.severity == "error"]
    assert len(problems) == 1
    assert "dependency cycle a -> c -> b -> a" in problems[0].message


# ------------------------------------------------------------------ cycles, random graphs


def has_cycle(graph: Mapping[str, Sequence[str]]) -> bool:
    """Reference: Kahn's algorithm leaves nodes over exactly when there is a cycle."""
    indegree = dict.fromkeys(graph, 0)
    for targets in graph.values():
        for target in targets:
            indegree[target] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    removed = 0
    while ready:
        node = ready.pop()
        removed += 1
        for target in graph[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return removed < len(graph)


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    """A random DAG (edges only to lower numbers), sometimes with a cycle injected."""
    size = draw(st.integers(1, 12))
    names = [f"c{i:02d}" for i in range(size)]
    graph: dict[str, list[str]] = {n: [] for n in names}
    for i, name in enumerate(names):
        if i:
            graph[name] = sorted(set(draw(st.lists(st.sampled_from(names[:i]), max_size=3))))
    if draw(st.booleans()):
        loop = draw(st.lists(st.sampled_from(names), min_size=1, max_size=size, unique=True))
        for here, there in zip(loop, [*loop[1:], loop[0]], strict=True):
            if there not in graph[here]:
                graph[here].append(there)
    return graph


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_find_cycles_finds_a_real_cycle_iff_there_is_one(graph: dict[str, list[str]]) -> None:
    cycles = find_cycles(graph)
    assert bool(cycles) == has_cycle(graph)
    for cycle in cycles:
        assert len(cycle) >= 2 and cycle[0] == cycle[-1]
        assert cycle[0] == min(cycle)
        inner = cycle[:-1]
        assert len(set(inner)) == len(inner)  # elementary: no node twice
        for here, there in itertools.pairwise(cycle):
            assert there in graph[here], f"{here} -> {there} is not an edge"


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_check_catalog_prints_each_cycle_it_finds(graph: dict[str, list[str]]) -> None:
    catalog = make_catalog([(n, "core", 1, graph[n]) for n in graph])
    messages = [p.message for p in check_catalog(catalog) if "dependency cycle" in p.message]
    # a self-requirement has its own message; every other cycle is printed once
    without_self = {n: [t for t in graph[n] if t != n] for n in graph}
    assert len(messages) == len(find_cycles(without_self))
    assert bool(messages) == has_cycle(without_self)
    for message in messages:
        printed = message.split("dependency cycle ", 1)[1].split(";", 1)[0].split(" -> ")
        for here, there in itertools.pairwise(printed):
            assert there in graph[here]


# ------------------------------------------------------------------ overlays


def document(data: Mapping[str, Any], source: str) -> YamlDocument:
    return parse_yaml(yaml.safe_dump(dict(data), sort_keys=False), source)


def entry(cap_id: str, level: int = 1, requires: Sequence[str] = (), weeks: float = 1) -> Any:
    return {
        "id": cap_id,
        "title": cap_id.capitalize(),
        "area": "core",
        "level": level,
        "requires": list(requires),
        "effort": [{"weeks": weeks, "people": {"dev": 1}}],
    }


def base(capabilities: Sequence[Any]) -> YamlDocument:
    return document(
        {
            "catalog": "tiny",
            "version": "1",
            "title": "Tiny",
            "levels": {0: "None", 1: "One", 2: "Two"},
            "areas": {"core": "Core"},
            "roles": {"dev": "Developer"},
            "capabilities": list(capabilities),
        },
        "base.yaml",
    )


def test_an_overlay_overrides_adds_and_removes_by_id() -> None:
    # base: build(2 weeks) <- test <- deploy; docs stands alone
    # overlay: build takes 5 weeks with a new 'qa' role, 'lint' is added, 'docs' is removed
    catalog_doc = base(
        [
            entry("build", weeks=2),
            entry("test", requires=["build"]),
            entry("docs"),
            entry("deploy", 2, ["test"]),
        ]
    )
    overlay = document(
        {
            "roles": {"qa": "Tester"},
            "capabilities": [
                {"id": "build", "effort": [{"weeks": 5, "people": {"dev": 1, "qa": 1}}]},
                entry("lint", requires=["build"]),
            ],
            "remove": ["docs"],
        },
        "overlay.yaml",
    )
    catalog, warnings = load_catalog(catalog_doc, [overlay])
    assert warnings == []
    # base order first, additions at the end, removed ones gone
    assert [c.id for c in catalog.capabilities] == ["build", "test", "deploy", "lint"]
    assert catalog["build"].effort[0].weeks == 5
    assert dict(catalog["build"].effort[0].people) == {"dev": 1, "qa": 1}
    assert catalog["build"].title == "Build"  # not overridden: kept from the base
    assert catalog.roles["qa"] == "Tester"
    assert catalog.origin("build").source == "overlay.yaml"
    assert catalog.origin("test").source == "base.yaml"


def test_a_new_capability_in_an_overlay_needs_every_required_field() -> None:
    overlay = document({"capabilities": [{"id": "lint", "title": "Lint"}]}, "overlay.yaml")
    with pytest.raises(InputError) as caught:
        load_catalog(base([entry("build")]), [overlay])
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "capabilities[0].area: required key 'area' is missing" in m
        and "new capability 'lint' is not in the catalog" in m
        for m in messages
    ), messages


def test_removing_an_unknown_id_names_the_overlay_and_the_place() -> None:
    overlay = document({"remove": ["nosuch"]}, "overlay.yaml")
    with pytest.raises(InputError) as caught:
        load_catalog(base([entry("build")]), [overlay])
    assert str(caught.value) == (
        "overlay.yaml:2: remove[0]: cannot remove 'nosuch': no such capability in the catalog"
    )


def test_removing_a_needed_prerequisite_blames_the_overlay() -> None:
    overlay = document({"remove": ["build"]}, "overlay.yaml")
    with pytest.raises(InputError) as caught:
        load_catalog(base([entry("build"), entry("test", requires=["build"])]), [overlay])
    assert str(caught.value) == (
        "overlay.yaml:2: remove[0]: cannot remove 'build': test requires it; also remove it "
        "(or override their requires), or keep 'build'"
    )


def test_removing_a_prerequisite_and_its_dependants_together_is_fine() -> None:
    overlay = document({"remove": ["test", "build"]}, "overlay.yaml")
    catalog, _ = load_catalog(
        base([entry("build"), entry("test", requires=["build"]), entry("docs")]), [overlay]
    )
    assert [c.id for c in catalog.capabilities] == ["docs"]


@st.composite
def overlay_cases(draw: st.DrawFn) -> tuple[list[Any], dict[str, Any]]:
    """Base capabilities without prerequisites and an overlay that touches some of them."""
    size = draw(st.integers(1, 8))
    names = [f"cap{i}" for i in range(size)]
    base_entries = [entry(n, weeks=draw(st.integers(1, 9))) for n in names]
    touched = draw(st.lists(st.sampled_from(names), unique=True, max_size=size))
    split = draw(st.integers(0, len(touched)))
    overridden, removed = touched[:split], touched[split:]
    added = [f"new{i}" for i in range(draw(st.integers(0, 3)))]
    overlay = {
        "capabilities": [
            {"id": n, "effort": [{"weeks": 20 + names.index(n), "people": {"dev": 2}}]}
            for n in overridden
        ]
        + [entry(n, level=2, weeks=3) for n in added],
        "remove": removed,
    }
    return base_entries, overlay


@settings(max_examples=150, deadline=None)
@given(overlay_cases())
def test_overlays_merge_by_id(case: tuple[list[Any], dict[str, Any]]) -> None:
    base_entries, overlay = case
    catalog, _ = load_catalog(base(base_entries), [document(overlay, "overlay.yaml")])
    removed = set(overlay["remove"])
    patches = {p["id"]: p for p in overlay["capabilities"]}
    base_ids = [e["id"] for e in base_entries]
    expected = [i for i in base_ids if i not in removed] + [i for i in patches if i not in base_ids]
    assert [c.id for c in catalog.capabilities] == expected
    for original in base_entries:
        cap_id = original["id"]
        if cap_id in removed:
            continue
        wanted = patches.get(cap_id, original)["effort"][0]
        assert catalog[cap_id].effort[0].weeks == wanted["weeks"]
        assert dict(catalog[cap_id].effort[0].people) == wanted["people"]
        assert catalog[cap_id].title == original["title"]
