"""Shared fixtures: tiny hand-made catalogs and an in-process runner for the CLI."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.catalog import Capability, Catalog, Prerequisite, StaffingOption

REPO_ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).resolve().parent / "broken"
EXAMPLES = REPO_ROOT / "examples"

# (id, area, level, prerequisite ids)
CapSpec = tuple[str, str, int, Sequence[str]]


def make_catalog(
    specs: Iterable[CapSpec],
    *,
    levels: Sequence[int] = (0, 1, 2, 3),
    areas: Sequence[str] = ("core", "ops"),
    roles: Sequence[str] = ("dev",),
) -> Catalog:
    """A catalog built in memory: one staffing option of 1 week and 1 ``dev`` each."""
    capabilities = tuple(
        Capability(
            id=cap_id,
            title=cap_id.replace("-", " ").capitalize(),
            area=area,
            level=level,
            description="",
            requires=tuple(Prerequisite(p) for p in requires),
            effort=(StaffingOption(1.0, {roles[0]: 1}),),
        )
        for cap_id, area, level, requires in specs
    )
    return Catalog(
        id="tiny",
        version="1",
        title="Tiny catalog",
        levels={level: f"Level {level}" for level in levels},
        areas={area: area.capitalize() for area in areas},
        roles={role: role.capitalize() for role in roles},
        capabilities=capabilities,
    )


@pytest.fixture
def tiny_catalog() -> Callable[..., Catalog]:
    """The :func:`make_catalog` builder, as a fixture."""
    return make_catalog


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``planner.cli.main(args)`` in-process from ``cwd``; capture output and exit code."""
    from planner.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("MLOPS_PLANNER_DEBUG", raising=False)

    def run(args: Sequence[str], cwd: Path | None = None) -> CliResult:
        capsys.readouterr()
        previous = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        else:  # pragma: no cover - main always exits
            code = 0
        finally:
            os.chdir(previous)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
