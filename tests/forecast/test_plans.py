"""Forecasts of real plans: zero-width ranges, fixed seeds, every sample checked."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from planner.calendar import WorkCalendar
from planner.files.engagement_loader import open_workspace
from planner.forecast import build_model, forecast_plan, relevel, simulate
from planner.forecast.model import IntArray
from planner.forecast.relevel import Levelled
from planner.plan import Plan
from planner.scheduling.planning import make_plan
from planner.workspace import Workspace
from tests.conftest import EXAMPLES, RunCli

EXAMPLE_FILES = ("bank-level1-to-3.yaml", "startup-level0-to-2.yaml", "retailer-level2-to-4.yaml")


@cache
def planned(name: str) -> tuple[Workspace, Plan]:
    workspace = open_workspace(EXAMPLES / name)
    return workspace, make_plan(workspace, time_limit=10.0)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_zero_width_ranges_give_the_plans_dates(name: str) -> None:
    _, plan = planned(name)
    exact = replace(plan, items=tuple(replace(i, duration_range=None) for i in plan.items))
    summary = forecast_plan(exact, samples=50, seed=1)
    by_id = {m.id: m for m in plan.milestones}
    assert summary.milestones
    for m in summary.milestones:
        assert m.p50 == m.p85 == m.p95 == m.optimal == by_id[m.id].date
    # and with the ranges, the likely durations re-level to exactly the plan's starts
    model = build_model(plan)
    levelled = relevel(model, model.plan_days[None, :].copy())
    assert {i: int(s) for i, s in zip(model.ids, levelled.starts[0], strict=True)} == {
        i.id: i.start_day for i in plan.items
    }


def test_a_partial_capabilitys_range_scales_with_what_is_left() -> None:
    workspace, plan = planned("bank-level1-to-3.yaml")
    item = plan.item("managed-compute")  # partial, 30% left
    option = workspace.catalog["managed-compute"].effort[item.option - 1]
    assert item.remaining == 0.3 and item.duration_range is not None
    focus = workspace.engagement.team.focus_factor
    assert item.duration_range.optimistic == pytest.approx(option.low * 5 * 0.3 / focus)
    assert item.duration_range.pessimistic == pytest.approx(option.high * 5 * 0.3 / focus)
    assert item.duration_range.optimistic < item.duration_range.likely
    assert item.duration_range.likely < item.duration_range.pessimistic


def test_the_same_seed_gives_the_same_bytes(run_cli: RunCli, tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    assert (
        run_cli(
            ["plan", "-e", str(EXAMPLES / "bank-level1-to-3.yaml"), "--out", str(plan_file)]
        ).exit_code
        == 0
    )
    first = run_cli(["forecast", str(plan_file), "--seed", "7", "--samples", "300", "--json"])
    again = run_cli(["forecast", str(plan_file), "--seed", "7", "--samples", "300", "--json"])
    other = run_cli(["forecast", str(plan_file), "--seed", "8", "--samples", "300", "--json"])
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    data = json.loads(first.stdout)
    assert data["samples"] == 300 and data["milestones"][-1]["level"] == 3
    text = run_cli(["forecast", str(plan_file), "--samples", "200", "--check"])
    assert text.exit_code == 0 and "Level 3 (target)" in text.stdout
    stored = json.loads(plan_file.read_text(encoding="utf-8"))["forecast"]
    assert stored["samples"] == 2000 and stored["milestones"][-1]["p85"] >= "2027-09-17"


def _people_on(workspace: Workspace, role: str, day: int) -> int:
    """People of a role on a working day, from the engagement's team and its changes."""
    team = workspace.engagement.team
    when = WorkCalendar(team.start, team.sprint_weeks).to_date(day)
    count = team.roles[role].people if role in team.roles else 0
    for change in team.changes:
        if (
            change.role == role
            and change.start <= when
            and (change.end is None or when <= change.end)
        ):
            count += change.change
    return max(0, count)


def independent_check(
    workspace: Workspace, plan: Plan, ids: tuple[str, ...], drawn: IntArray, levelled: Levelled
) -> list[str]:
    """Precedence with lags and people per role and day, sample by sample, in plain Python."""
    out: list[str] = []
    lags = {
        (p.id, cap.id): round(p.lag_weeks * 5)
        for cap in workspace.catalog.capabilities
        for p in cap.requires
    }
    items = {i.id: i for i in plan.items}
    for sample in range(drawn.shape[0]):
        start = {c: int(levelled.starts[sample, n]) for n, c in enumerate(ids)}
        end = {c: int(levelled.ends[sample, n]) for n, c in enumerate(ids)}
        for n, cap_id in enumerate(ids):
            if end[cap_id] - start[cap_id] != drawn[sample, n]:
                out.append(f"{sample}: {cap_id} does not last its drawn duration")
            for before in items[cap_id].requires:
                if before in end and start[cap_id] < end[before] + lags[(before, cap_id)]:
                    out.append(f"{sample}: {cap_id} starts before {before} is done")
        busy: dict[tuple[str, int], int] = {}
        for cap_id in ids:
            for role, people in items[cap_id].people.items():
                for day in range(start[cap_id], end[cap_id]):
                    busy[role, day] = busy.get((role, day), 0) + people
        for (role, day), people in busy.items():
            if people > _people_on(workspace, role, day):
                out.append(f"{sample}: {people} {role} busy on day {day}")
    return out


def test_every_sample_is_a_schedule_the_team_can_staff() -> None:
    workspace, plan = planned("bank-level1-to-3.yaml")
    assert workspace.engagement.team.changes  # joiners and a holiday: capacity varies by day
    model = build_model(plan)
    kept: list[tuple[IntArray, Levelled]] = []
    simulate(model, 300, seed=13, keep=kept)
    ((drawn, levelled),) = kept
    assert independent_check(workspace, plan, model.ids, drawn, levelled) == []
    # the checker is not blind: a sample moved onto a busy day is caught
    broken = Levelled(
        levelled.starts - 10,
        levelled.ends - 10,
        levelled.link,
        levelled.waited_for_people,
        levelled.wait,
    )
    assert independent_check(workspace, plan, model.ids, drawn, broken)
    # and the built-in debug mode passes too
    assert forecast_plan(plan, samples=300, seed=13, debug=True).samples == 300


def test_waiting_for_people_is_part_of_the_forecast() -> None:
    _, plan = planned("bank-level1-to-3.yaml")
    summary = forecast_plan(plan, samples=1000, seed=0)
    target = summary.target
    assert target.optimal <= target.p50 <= target.p85 <= target.p95
    assert target.deadline == date(2028, 6, 30) and target.deadline_probability is not None
    assert summary.critical and summary.critical[0].index > 0.5
    assert any(c.waiting_for_people > 0 for c in summary.critical)
    curve = [p for _, p in target.by_date]
    assert curve == sorted(curve) and curve[-1] == 1.0
    model = build_model(plan)
    outcome = simulate(model, 1000, seed=0)
    assert np.all(outcome.on_chain.any(axis=1))
