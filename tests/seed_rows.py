"""Parse the "seed rows" out of the MLOps maturity model document.

A seed row is one bullet (``<li>`` item) of the document's tables:

* the five level tables (``## Level N: ...``), columns People, Model Creation,
  Model Release and Application Integration;
* the overview table, columns Highlights and Technology (one table row per level).

Each row is returned as ``SeedRow(level, column, text)``. The text is normalised:
HTML tags are stripped, runs of whitespace collapse to one space and the ends are
stripped; everything else (markdown, quotes, capitalisation, typos) is kept as written.
Some ``<li>`` items are not closed before the next one, so cells are split on ``<li>``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

LEVEL_COLUMNS: tuple[str, ...] = (
    "People",
    "Model Creation",
    "Model Release",
    "Application Integration",
)
OVERVIEW_COLUMNS: tuple[str, ...] = ("Highlights", "Technology")
ALL_COLUMNS: tuple[str, ...] = LEVEL_COLUMNS + OVERVIEW_COLUMNS

_TAG = re.compile(r"</?(?:ul|li)\s*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_LEVEL_HEADING = re.compile(r"^##\s+Level\s+(\d+)\b")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


class SeedRow(NamedTuple):
    """One bullet of the maturity model: the level, the column it sits in, its text."""

    level: int
    column: str
    text: str


def normalise(text: str) -> str:
    """Strip the list tags, collapse whitespace and strip the ends."""
    return _SPACE.sub(" ", _TAG.sub(" ", text)).strip()


def cell_items(cell: str) -> list[str]:
    """The normalised ``<li>`` items of one table cell, in order."""
    parts = re.split(r"<li\s*>", cell, flags=re.IGNORECASE)[1:]
    return [item for item in (normalise(part) for part in parts) if item]


def _cells(line: str) -> list[str]:
    """The cells of a markdown table line (without the outer pipes)."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in stripped.split("|")]


def _is_separator(cells: list[str]) -> bool:
    return all(_SEPARATOR_CELL.match(cell) for cell in cells)


def parse_seed_text(markdown: str) -> list[SeedRow]:
    """Every seed row of the maturity model document ``markdown``, in document order."""
    rows: list[SeedRow] = []
    current_level: int | None = None
    header: list[str] | None = None
    for line in markdown.splitlines():
        heading = _LEVEL_HEADING.match(line)
        if heading:
            current_level = int(heading.group(1))
            header = None
            continue
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            continue
        if _is_separator(cells):
            continue
        if "Level" in header and current_level is None:
            # The overview table: one line per level.
            level = int(cells[header.index("Level")])
            for column in OVERVIEW_COLUMNS:
                for text in cell_items(cells[header.index(column)]):
                    rows.append(SeedRow(level, column, text))
        elif current_level is not None and all(col in header for col in LEVEL_COLUMNS):
            for column in LEVEL_COLUMNS:
                for text in cell_items(cells[header.index(column)]):
                    rows.append(SeedRow(current_level, column, text))
    return rows


def parse_seed_file(path: Path) -> list[SeedRow]:
    """Every seed row of the maturity model document at ``path``."""
    return parse_seed_text(path.read_text(encoding="utf-8"))
