"""A tiny catalog and engagement, written to a folder, for worked scheduling examples."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

CATALOG = {
    "catalog": "tiny",
    "version": "1",
    "title": "Tiny model",
    "levels": {0: "none", 1: "basic", 2: "advanced"},
    "areas": {"build": "Build", "run": "Run"},
    "roles": {"mle": "ML engineer", "ds": "Data scientist"},
    "capabilities": [
        {
            "id": "a",
            "title": "A",
            "area": "build",
            "level": 1,
            "effort": [{"weeks": 1, "people": {"mle": 1}}],
        },
        {
            "id": "b",
            "title": "B",
            "area": "build",
            "level": 2,
            "requires": ["a"],
            "effort": [{"weeks": 2, "people": {"mle": 1}}, {"weeks": 1, "people": {"mle": 2}}],
        },
        {
            "id": "c",
            "title": "C",
            "area": "run",
            "level": 1,
            "effort": [{"weeks": 1, "people": {"ds": 1}}],
        },
        {
            "id": "d",
            "title": "D",
            "area": "run",
            "level": 2,
            "requires": ["c"],
            "effort": [{"weeks": 2, "people": {"ds": 1, "mle": 1}}],
        },
    ],
}


def engagement(**changes: object) -> dict[str, object]:
    """The tiny engagement (level 0 -> 2, one ML engineer, one data scientist, focus 1)."""
    data: dict[str, object] = {
        "name": "Tiny",
        "catalog": {"builtin": None, "file": "catalog.yaml"},
        "target": {"level": 2},
        "team": {
            "start": __import__("datetime").date(2027, 1, 4),  # a Monday
            "focus_factor": 1.0,
            "roles": {"mle": {"people": 1, "day_rate": 1000}, "ds": {"people": 1, "day_rate": 800}},
        },
    }
    data.update(changes)
    return data


def write(
    folder: Path, data: Mapping[str, object], catalog: Mapping[str, object] | None = None
) -> Path:
    (folder / "catalog.yaml").write_text(yaml.safe_dump(catalog or CATALOG), encoding="utf-8")
    path = folder / "engagement.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
