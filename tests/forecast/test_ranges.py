"""Ranges on staffing options: the built-in catalog's, an overlay's, an engagement's."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError
from planner.files.catalog_loader import load_catalog, read_builtin_catalog
from planner.files.engagement_loader import open_workspace
from planner.files.yaml_source import parse_yaml
from tests.conftest import EXAMPLES


def test_every_builtin_option_has_a_range_around_its_likely_weeks() -> None:
    catalog, _ = load_catalog(read_builtin_catalog("mlops-maturity"))
    assert len(catalog.capabilities) == 34
    for cap in catalog.capabilities:
        for option in cap.effort:
            assert option.optimistic is not None and option.pessimistic is not None, cap.id
            assert 0 < option.low < option.weeks < option.high, cap.id
    # the reasoning lives in the catalog's header comment and names every capability
    text = Path("catalog/mlops-maturity.yaml").read_text(encoding="utf-8")
    header = text[: text.index("\ncatalog:")]
    assert all(cap.id in header for cap in catalog.capabilities)


def test_an_overlay_and_an_engagement_override_ranges(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "capabilities:\n  - id: model-registry\n    effort:\n"
        "      - {weeks: 3, optimistic: 3, pessimistic: 9, people: {ml-engineer: 1}}\n",
        encoding="utf-8",
    )
    engagement = tmp_path / "engagement.yaml"
    text = (EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "catalog:\n  builtin: mlops-maturity\n",
        "catalog:\n  builtin: mlops-maturity\n  overlays: [overlay.yaml]\n",
    )
    engagement.write_text(
        text + "estimates:\n  staged-environments:\n    - {optimistic: 4, pessimistic: 20}\n"
        "    - {optimistic: 3, pessimistic: 12}\n",
        encoding="utf-8",
    )
    catalog = open_workspace(engagement).catalog
    assert (catalog["model-registry"].effort[0].low, catalog["model-registry"].effort[0].high) == (
        3,
        9,
    )
    staged = catalog["staged-environments"].effort
    assert [(o.low, o.high) for o in staged] == [(4, 20), (3, 12)]
    assert [o.weeks for o in staged] == [5, 3]  # the likely weeks stay the catalog's


def test_a_range_that_misses_the_likely_weeks_is_refused(tmp_path: Path) -> None:
    engagement = tmp_path / "engagement.yaml"
    engagement.write_text(
        (EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8")
        + "estimates:\n  staged-environments:\n    - {optimistic: 6, pessimistic: 20}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        open_workspace(engagement)
    message = str(caught.value)
    assert "estimates.staged-environments" in message
    assert "2 staffing option(s); give one range per option (got 1)" in message
    assert "optimistic (6) <= weeks (5)" in message
    with pytest.raises(InputError) as bad_catalog:
        load_catalog(
            parse_yaml(
                "catalog: c\nversion: '1'\ntitle: C\nlevels: {0: a, 1: b}\nareas: {x: X}\n"
                "roles: {dev: Dev}\ncapabilities:\n  - id: a\n    title: A\n    area: x\n"
                "    level: 1\n    effort:\n"
                "      - {weeks: 2, optimistic: 1, pessimistic: 1.5, people: {dev: 1}}\n",
                "c.yaml",
            )
        )
    assert "capabilities[0] (a).effort[0]" in str(bad_catalog.value)
    assert "pessimistic (1.5)" in str(bad_catalog.value)
