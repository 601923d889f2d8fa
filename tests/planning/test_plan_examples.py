"""Every example engagement plans: milestones in increasing order, every item explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.files.engagement_loader import open_workspace
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*-to-*.yaml"))


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_engagement_plans(path: Path) -> None:
    workspace = open_workspace(path)
    plan = make_plan(workspace, time_limit=10)
    assert check_plan(plan, workspace) == []
    assert plan.solver.status == "optimal"
    overall = sorted(plan.overall_milestones, key=lambda m: m.level)
    assert [m.level for m in overall] == list(range(plan.current_level + 1, plan.target_level + 1))
    days = [m.day for m in overall]
    assert days == sorted(days)
    assert plan.items and all(item.why and item.why_then for item in plan.items)
    assert all(item.milestone is not None for item in plan.items)
