"""Worked examples: optima computed by hand, every plan through the independent checker."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from planner.files.engagement_loader import open_workspace
from planner.plan import Plan
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from tests.planning import tiny


def planned(
    folder: Path, data: dict[str, object], catalog: dict[str, object] | None = None
) -> Plan:
    workspace = open_workspace(tiny.write(folder, data, catalog))
    plan = make_plan(workspace, time_limit=5)
    assert check_plan(plan, workspace) == []
    return plan


def test_chain_and_parallel_work(tmp_path: Path) -> None:
    # One ML engineer, one data scientist (working days, day 0 = Mon 2027-01-04):
    #   a (5 days, mle) then b: option 1 (10 days, 1 mle) — option 2 needs 2 mle, impossible;
    #   c (5 days, ds) then d (10 days, ds + mle), but the mle is busy with a then b.
    # Best target date: a 0-5, b 5-15, c 0-5, d 15-25 or d 5-15 and b 15-25: 25 days.
    # Level 1 (a, c) as early as possible: day 5 (Fri 2027-01-08).
    plan = planned(tmp_path, tiny.engagement())
    target = next(m for m in plan.milestones if m.id == "level-2")
    level1 = next(m for m in plan.milestones if m.id == "level-1")
    assert target.day == 25 and target.date == date(2027, 2, 5)
    assert level1.day == 5 and level1.date == date(2027, 1, 8)
    assert plan.item("b").option == 1
    assert plan.solver.status == "optimal"


def test_second_engineer_buys_the_faster_option(tmp_path: Path) -> None:
    # With 2 mle: a 0-5 (mle) and c 0-5 (ds); then b option 1 5-15 (1 mle) beside d 5-15
    # (ds + 1 mle) uses both engineers: target day 15. (b option 2, 2 mle for 5 days, could
    # not run beside d, and would end no earlier.)
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    team["roles"]["mle"]["people"] = 2
    data["team"] = team
    plan = planned(tmp_path, data)
    assert next(m for m in plan.milestones if m.id == "level-2").day == 15


def test_focus_factor_stretches_durations(tmp_path: Path) -> None:
    # focus 0.5: a takes ceil(5 / 0.5) = 10 days, b 20, c 10, d 20: chain a-b and c-d
    # compete for the single mle in b and d: 10 + 20 + 20 = 50 days.
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    team["focus_factor"] = 0.5
    data["team"] = team
    plan = planned(tmp_path, data)
    assert plan.item("a").end_day - plan.item("a").start_day == 10
    assert next(m for m in plan.milestones if m.id == "level-2").day == 50


def test_a_leaver_delays_the_target(tmp_path: Path) -> None:
    # The data scientist is away for the first two weeks (days 0-10): c runs 10-15, and d
    # (ds + mle) 15-25 at the earliest; b fits 5-15 with the mle: target day 25 again, but
    # level 1 (needs c) moves from day 5 to day 15.
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    team["changes"] = [
        {
            "role": "ds",
            "change": -1,
            "from": date(2027, 1, 4),
            "until": date(2027, 1, 15),
            "note": "holiday",
        }
    ]
    data["team"] = team
    plan = planned(tmp_path, data)
    assert plan.item("c").start_day == 10
    assert next(m for m in plan.milestones if m.id == "level-1").day == 15
    assert "Data scientist" in plan.item("c").why_then


def test_partial_capability_keeps_its_remaining_share(tmp_path: Path) -> None:
    # b is half done: option 1 takes 5 days instead of 10.
    data = tiny.engagement(current={"capabilities": {"b": {"status": "partial", "remaining": 0.5}}})
    plan = planned(tmp_path, data)
    item = plan.item("b")
    assert item.status == "partial" and item.end_day - item.start_day == 5


def test_every_item_says_why_and_why_then(tmp_path: Path) -> None:
    plan = planned(tmp_path, tiny.engagement())
    b = plan.item("b")
    assert "needed by" not in " ".join(b.why) and "level 2 · Build" in b.why
    assert any("needed by b" in why for why in plan.item("a").why)
    assert "prerequisite a" in b.why_then or "ML engineer" in b.why_then
    assert all(item.why_then for item in plan.items)


def test_milestones_never_go_backwards(tmp_path: Path) -> None:
    plan = planned(tmp_path, tiny.engagement())
    overall = sorted(plan.overall_milestones, key=lambda m: m.level)
    assert [m.level for m in overall] == [1, 2]
    assert overall[0].day <= overall[1].day


def test_lexicographic_order_lower_level_first(tmp_path: Path) -> None:
    # Both orders (a-b then d, or d first) reach the target on day 25; stage 2 must pick one
    # where level 1 (a and c) is reached on day 5, the earliest possible.
    plan = planned(tmp_path, tiny.engagement())
    assert plan.item("a").end_day == 5 and plan.item("c").end_day == 5
