"""Property-based: random catalogs and random skill matrices (named people, each with some
roles at some efficiency, beside anonymous counts) give plans the independent checker
accepts; a plan is refused only when some capability cannot be staffed at all."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InfeasiblePlanError
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import plan_to_json
from planner.forecast.model import build_model, draw_durations
from planner.forecast.relevel import relevel
from planner.forecast.verify import check_samples
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from tests.planning import tiny
from tests.planning.test_plan_properties import ROLES, catalogs_and_teams


@st.composite
def skill_matrices(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    catalog, team = draw(catalogs_and_teams())
    team["roles"] = {
        r: {"people": draw(st.integers(0, 1)), "day_rate": draw(st.integers(0, 900))} for r in ROLES
    }
    team["changes"] = []
    people = []
    for n in range(draw(st.integers(1, 4))):
        roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
        slower = draw(st.lists(st.sampled_from(roles), max_size=len(roles) - 1, unique=True))
        person: dict[str, Any] = {"name": f"P{n}", "roles": roles}
        if slower:
            person["efficiency"] = {r: draw(st.sampled_from([0.5, 0.75])) for r in slower}
        if draw(st.booleans()):
            person["day_rate"] = draw(st.integers(0, 900))
        people.append(person)
    team["people"] = people
    windows = [
        (date(2027, 1, 11), date(2027, 1, 15)),
        (date(2027, 1, 20), date(2027, 2, 5)),
        (date(2027, 1, 11), date(2027, 2, 5)),
    ]
    names = [p["name"] for p in people]
    for name, (start, end) in draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(windows)), max_size=2)
    ):
        change = {"person": name, "change": -1, "from": start, "until": end}
        team["changes"].append(change)  # away for a while: never changes what is staffable
    return catalog, team


def _coverable(needs: dict[str, int], anonymous: dict[str, int], people: list[set[str]]) -> bool:
    """Whether one option's people can all be found at once: the role's anonymous people,
    then people with the role, each used for one role (a brute-force search)."""
    left = {r: max(0, n - anonymous.get(r, 0)) for r, n in needs.items()}
    roles = sorted(r for r, n in left.items() if n)
    if not roles:
        return True
    role = roles[0]
    for index, skills in enumerate(people):
        if role in skills:
            rest = dict(left, **{role: left[role] - 1})
            if _coverable(rest, {}, people[:index] + people[index + 1 :]):
                return True
    return False


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(skill_matrices(), st.integers(1, 3))
def test_random_skill_matrices_plan_and_pass_the_checker(
    case: tuple[dict[str, Any], dict[str, Any]], target: int
) -> None:
    catalog, team = case
    with tempfile.TemporaryDirectory() as folder:
        data = tiny.engagement(team=team, target={"level": target})
        workspace = open_workspace(tiny.write(Path(folder), data, catalog))
        anonymous = {r: e["people"] for r, e in team["roles"].items()}
        skills = [set(p["roles"]) for p in team["people"]]
        staffable = all(
            any(_coverable(dict(o.people), anonymous, skills) for o in item.capability.effort)
            for item in workspace.gap.items
        )
        try:
            plan = make_plan(workspace, time_limit=2)
        except InfeasiblePlanError:
            assert not staffable
            return
        assert staffable
        assert check_plan(plan, workspace) == []
        assert {i.id for i in plan.items} == set(workspace.gap.ids)
        assert plan_to_json(plan) == plan_to_json(make_plan(workspace, time_limit=2))
        # the forecast re-levels on the same people (their absences included)
        model = build_model(plan)
        durations = draw_durations(model, np.random.default_rng(7), 8)
        levelled = relevel(model, durations)
        assert check_samples(plan, model.ids, durations, levelled.starts, levelled.ends) == []
