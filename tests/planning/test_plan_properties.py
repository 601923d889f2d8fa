"""Property-based: random catalogs and teams give plans the independent checker accepts."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InfeasiblePlanError
from planner.files.engagement_loader import open_workspace
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from tests.planning import tiny

ROLES = ["r1", "r2", "r3"]


@st.composite
def catalogs_and_teams(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    count = draw(st.integers(1, 7))
    capabilities: list[dict[str, Any]] = []
    for index in range(count):
        level = draw(st.integers(1, 3))
        earlier = [c for c in capabilities if c["level"] <= level]
        requires = (
            draw(st.lists(st.sampled_from([c["id"] for c in earlier]), unique=True, max_size=2))
            if earlier
            else []
        )
        options = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "weeks": st.sampled_from([0.5, 1, 1.5, 2, 3]),
                        "people": st.dictionaries(
                            st.sampled_from(ROLES), st.integers(1, 2), min_size=1, max_size=2
                        ),
                    }
                ),
                min_size=1,
                max_size=2,
            )
        )
        capabilities.append(
            {
                "id": f"c{index}",
                "title": f"C{index}",
                "area": draw(st.sampled_from(["x", "y"])),
                "level": level,
                "requires": requires,
                "effort": options,
            }
        )
    catalog = {
        "catalog": "random",
        "version": "1",
        "title": "Random",
        "levels": {0: "zero", 1: "one", 2: "two", 3: "three"},
        "areas": {"x": "X", "y": "Y"},
        "roles": {r: r.upper() for r in ROLES},
        "capabilities": capabilities,
    }
    team = {
        "start": date(2027, 1, 4) + __import__("datetime").timedelta(days=draw(st.integers(0, 6))),
        "focus_factor": draw(st.sampled_from([0.5, 0.8, 1.0])),
        "sprint_weeks": draw(st.integers(1, 3)),
        "roles": {
            r: {"people": draw(st.integers(0, 3)), "day_rate": draw(st.integers(0, 900))}
            for r in ROLES
        },
        "changes": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "role": st.sampled_from(ROLES),
                        "change": st.sampled_from([-1, 1]),
                        "from": st.sampled_from([date(2027, 1, 18), date(2027, 2, 1)]),
                        "until": st.sampled_from([date(2027, 2, 12), date(2027, 3, 5)]),
                    }
                ),
                max_size=2,
            )
        ),
    }
    return catalog, team


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs_and_teams(), st.integers(1, 3))
def test_random_plans_pass_the_checker(
    case: tuple[dict[str, Any], dict[str, Any]], target: int
) -> None:
    catalog, team = case
    with tempfile.TemporaryDirectory() as folder:
        data = tiny.engagement(team=team, target={"level": target})
        workspace = open_workspace(tiny.write(Path(folder), data, catalog))
        try:
            plan = make_plan(workspace, time_limit=2)
        except InfeasiblePlanError as error:
            # only an unstaffable role can make these unconstrained projects impossible
            assert "cannot be staffed" in error.message or "capacity" in error.message
            return
        assert check_plan(plan, workspace) == []
        assert {i.id for i in plan.items} == set(workspace.gap.ids)
