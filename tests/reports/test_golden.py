"""Reports of a fixed, hand-made plan compared with golden files.

To accept a deliberate change in a report, re-create the golden files and review the diff:
    UPDATE_GOLDEN=1 pytest tests/reports
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.reports import render_report

from .fixture import small_plan

GOLDEN = Path(__file__).parent / "golden"
FILES = {
    "markdown": "roadmap.md",
    "html": "roadmap.html",
    "scope": "scope.md",
    "scope-html": "scope.html",
    "csv": "items.csv",
}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_report_matches_golden_file(fmt: str) -> None:
    rendered = render_report(small_plan(), fmt)
    golden = GOLDEN / FILES[fmt]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(rendered.encode("utf-8"))
    assert rendered == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_rendering_is_deterministic(fmt: str) -> None:
    assert render_report(small_plan(), fmt) == render_report(small_plan(), fmt)
