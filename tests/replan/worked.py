"""Helpers for the re-planning examples: plan, re-plan, check every plan on the way."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from planner.files.engagement_loader import open_workspace
from planner.plan import Plan
from planner.scheduling.changes import ChangeReport, compare_plans
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from planner.scheduling.replan import Replan, replan
from tests.planning import tiny

# Day 0 is Monday 2027-01-04; sprints of two weeks (10 working days).
DAY = {
    0: date(2027, 1, 4),
    5: date(2027, 1, 11),
    10: date(2027, 1, 18),
    15: date(2027, 1, 25),
    30: date(2027, 2, 15),
}

# For the late-capability example: x (8 weeks, ML engineer) then y (2 weeks, data
# scientist), both level 1 of "build"; z (2 weeks, data scientist) level 2 of "build";
# w (8 weeks, data scientist) level 1 of "run".
LATE_CATALOG = {
    **tiny.CATALOG,
    "capabilities": [
        {"id": "x", "title": "X", "area": "build", "level": 1,
         "effort": [{"weeks": 8, "people": {"mle": 1}}]},
        {"id": "y", "title": "Y", "area": "build", "level": 1, "requires": ["x"],
         "effort": [{"weeks": 2, "people": {"ds": 1}}]},
        {"id": "z", "title": "Z", "area": "build", "level": 2,
         "effort": [{"weeks": 2, "people": {"ds": 1}}]},
        {"id": "w", "title": "W", "area": "run", "level": 1,
         "effort": [{"weeks": 8, "people": {"ds": 1}}]},
    ],
}  # fmt: skip


def engagement(*, done: tuple[str, ...] = (), mle: int = 1, **answers: object) -> dict[str, object]:
    """The tiny engagement with some capabilities done, others answered, ``mle`` engineers."""
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    team["roles"]["mle"]["people"] = mle
    data["team"] = team
    capabilities: dict[str, object] = {cid: "done" for cid in done}
    capabilities.update(answers)
    if capabilities:
        data["current"] = {"capabilities": capabilities}
    return data


def first_plan(
    folder: Path, data: dict[str, object], catalog: Mapping[str, object] | None = None
) -> Plan:
    folder.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(tiny.write(folder, data, catalog))
    plan = make_plan(workspace, time_limit=5)
    assert check_plan(plan, workspace) == []
    return plan


def replanned(
    folder: Path,
    previous: Plan,
    data: dict[str, object],
    today: date,
    *,
    fresh: bool = False,
    catalog: Mapping[str, object] | None = None,
) -> tuple[Replan, ChangeReport]:
    folder.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(tiny.write(folder, data, catalog))
    result = replan(workspace, previous, today, fresh=fresh, time_limit=5)
    assert check_plan(result.plan, result.workspace) == []
    return result, compare_plans(previous, result.plan, fresh=fresh)


def schedule(plan: Plan) -> dict[str, tuple[int, int, int, str]]:
    """id -> (start day, end day, option, state)."""
    return {i.id: (i.start_day, i.end_day, i.option, i.state) for i in plan.items}
