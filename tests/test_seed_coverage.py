"""The default catalog covers every bullet of the maturity model it is built from.

A seed row is one bullet of the model's tables, as ``(level, column, text)``. Every seed row
must be quoted under the ``seed`` of at least one capability, and every quoted seed entry
must be a real row of the model (no typos, no wrong level or column).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.seed_rows import ALL_COLUMNS, SeedRow, parse_seed_file, parse_seed_text

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "mlops-maturity-model.md"
)
CATALOG_PATH = REPO_ROOT / "catalog" / "mlops-maturity.yaml"

CatalogData = dict[str, Any]


def seed_entries(catalog: Mapping[str, Any]) -> list[tuple[str, SeedRow]]:
    """Every ``seed`` entry of the catalog, as (capability id, row)."""
    entries: list[tuple[str, SeedRow]] = []
    for capability in catalog.get("capabilities") or []:
        for entry in capability.get("seed") or []:
            row = SeedRow(int(entry["level"]), str(entry["column"]), str(entry["text"]))
            entries.append((str(capability["id"]), row))
    return entries


def uncovered_rows(rows: Iterable[SeedRow], catalog: Mapping[str, Any]) -> list[SeedRow]:
    """The seed rows that no capability of ``catalog`` lists under ``seed``."""
    covered = {row for _, row in seed_entries(catalog)}
    return [row for row in rows if row not in covered]


def unknown_entries(
    rows: Iterable[SeedRow], catalog: Mapping[str, Any]
) -> list[tuple[str, SeedRow]]:
    """The catalog's ``seed`` entries that quote no real seed row."""
    known = set(rows)
    return [(cap_id, row) for cap_id, row in seed_entries(catalog) if row not in known]


@pytest.fixture(scope="module")
def seed_rows() -> list[SeedRow]:
    if not SEED_PATH.is_file():
        pytest.skip(f"maturity model not found at {SEED_PATH}")
    return parse_seed_file(SEED_PATH)


@pytest.fixture(scope="module")
def catalog() -> CatalogData:
    data = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_parser_finds_every_row(seed_rows: list[SeedRow]) -> None:
    assert len(seed_rows) == 95
    # 72 texts are distinct as written; three of them differ from another only by
    # capitalisation ("Automatic Release", "Scoring Script ...", "Unit and Integration ..."),
    # which leaves 69 distinct texts when case is ignored.
    assert len({row.text for row in seed_rows}) == 72
    assert len({row.text.casefold() for row in seed_rows}) == 69
    assert {row.level for row in seed_rows} == {0, 1, 2, 3, 4}
    assert {row.column for row in seed_rows} == set(ALL_COLUMNS)


def test_parser_counts_per_table(seed_rows: list[SeedRow]) -> None:
    overview = [row for row in seed_rows if row.column in ("Highlights", "Technology")]
    assert len(overview) == 29
    per_level = {
        level: sum(1 for row in seed_rows if row.level == level and row not in overview)
        for level in range(5)
    }
    assert per_level == {0: 12, 1: 14, 2: 13, 3: 13, 4: 14}


def test_parser_handles_unclosed_items_and_markup(seed_rows: list[SeedRow]) -> None:
    assert SeedRow(0, "Technology", "Training of model is manual") in seed_rows
    assert SeedRow(2, "Model Creation", "Experiment results tracked") in seed_rows
    assert SeedRow(4, "Model Release", "Automatic Release") in seed_rows
    assert (
        SeedRow(
            0,
            "People",
            "Data engineers (_if exists_): siloed, "
            "not in regular communications with the larger team",
        )
        in seed_rows
    )
    assert (
        SeedRow(3, "Highlights", "Entire environment managed: train > test > production")
        in seed_rows
    )
    for row in seed_rows:
        assert "<" not in row.text.replace("train > test", "")
        assert row.text == row.text.strip()
        assert "  " not in row.text


def test_parser_on_a_small_document() -> None:
    text = "\n".join(
        [
            "| Level | Description | Highlights | Technology |",
            "| ----- | ----------- | ---------- | ---------- |",
            "| 0 | x | <ul><li>A  b</li><li>C</ul> | <ul><li>D</li></ul> |",
            "",
            "## Level 1: Something",
            "",
            "| People | Model Creation | Model Release | Application Integration |",
            "| ------ | -------------- | ------------- | ----------------------- |",
            "| <ul><li>P1<li>P2</li></ul> | <ul><li>M</li></ul> | <ul></ul> "
            "| <ul><li>I </li></ul> |",
        ]
    )
    assert parse_seed_text(text) == [
        SeedRow(0, "Highlights", "A b"),
        SeedRow(0, "Highlights", "C"),
        SeedRow(0, "Technology", "D"),
        SeedRow(1, "People", "P1"),
        SeedRow(1, "People", "P2"),
        SeedRow(1, "Model Creation", "M"),
        SeedRow(1, "Application Integration", "I"),
    ]


def test_every_seed_row_is_covered(seed_rows: list[SeedRow], catalog: CatalogData) -> None:
    missing = uncovered_rows(seed_rows, catalog)
    assert not missing, "seed rows covered by no capability:\n" + "\n".join(
        f"  level {row.level}, {row.column}: {row.text}" for row in missing
    )


def test_every_seed_entry_quotes_a_real_row(seed_rows: list[SeedRow], catalog: CatalogData) -> None:
    wrong = unknown_entries(seed_rows, catalog)
    assert not wrong, "seed entries that match no row of the model:\n" + "\n".join(
        f"  {cap_id}: level {row.level}, {row.column}: {row.text!r}" for cap_id, row in wrong
    )


def test_seed_entries_are_well_formed(catalog: CatalogData) -> None:
    for capability in catalog["capabilities"]:
        entries = capability.get("seed") or []
        for entry in entries:
            assert set(entry) == {"level", "column", "text"}, capability["id"]
            assert entry["column"] in ALL_COLUMNS, capability["id"]
            assert isinstance(entry["level"], int), capability["id"]
        keys = [(e["level"], e["column"], e["text"]) for e in entries]
        assert len(keys) == len(set(keys)), f"{capability['id']} lists a seed row twice"


def test_coverage_check_reports_a_dropped_row(
    seed_rows: list[SeedRow], catalog: CatalogData
) -> None:
    assert uncovered_rows(seed_rows, catalog) == []
    # Rows covered by exactly one capability become uncovered when its seed entries go.
    coverers: dict[SeedRow, set[str]] = {}
    for cap_id, row in seed_entries(catalog):
        coverers.setdefault(row, set()).add(cap_id)
    sole = {row: next(iter(ids)) for row, ids in coverers.items() if len(ids) == 1}
    assert sole, "expected some row to be covered by a single capability"
    ab_row = SeedRow(3, "Technology", "Integrated A/B testing of model performance for deployment")
    victim = sole[ab_row]

    trimmed = copy.deepcopy(catalog)
    for capability in trimmed["capabilities"]:
        if capability["id"] == victim:
            capability["seed"] = []
    expected = [row for row in seed_rows if sole.get(row) == victim]
    assert expected
    assert uncovered_rows(seed_rows, trimmed) == expected
    # The original data is untouched.
    assert uncovered_rows(seed_rows, catalog) == []


def test_check_reports_a_misquoted_entry(seed_rows: list[SeedRow], catalog: CatalogData) -> None:
    broken = copy.deepcopy(catalog)
    entry = broken["capabilities"][0]["seed"][0]
    entry["text"] = entry["text"] + "."
    wrong = unknown_entries(seed_rows, broken)
    assert [cap_id for cap_id, _ in wrong] == [broken["capabilities"][0]["id"]]
