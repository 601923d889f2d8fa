"""Re-planning, worked by hand on the tiny catalog; every plan goes through the checker.

The tiny plan (one ML engineer, one data scientist), day 0 = Mon 2027-01-04, sprints of 10
working days: a 0-5 and c 0-5 (sprint 1), b 5-15 (sprint 1, option 1), d 15-25 (sprint 2).
Target (level 2) day 25 = Fri 2027-02-05.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import plan_to_json, read_plan, write_plan
from planner.reports.render import render_changes_document as render_changes
from planner.scheduling.changes import compare_plans
from planner.scheduling.replan import frame_replan, with_progress
from tests.planning import tiny
from tests.replan.worked import (
    DAY,
    LATE_CATALOG,
    engagement,
    first_plan,
    replanned,
    schedule,
)

TINY_PLAN = {
    "a": (0, 5, 1, "planned"),
    "c": (0, 5, 1, "planned"),
    "b": (5, 15, 1, "planned"),
    "d": (15, 25, 1, "planned"),
}


def test_the_tiny_plan_is_the_one_worked_out_above(tmp_path: Path) -> None:
    assert schedule(first_plan(tmp_path, engagement())) == TINY_PLAN


def test_done_items_are_never_moved(tmp_path: Path) -> None:
    # On day 10, a and c are done and a second ML engineer joins. a and c are history: they
    # keep the previous plan's dates and option, and the solver never sees them.
    previous = first_plan(tmp_path / "1", engagement())
    result, report = replanned(
        tmp_path / "2", previous, engagement(done=("a", "c"), mle=2), DAY[10]
    )
    for cid in ("a", "c"):
        item = result.plan.item(cid)
        assert (item.state, item.status) == ("done", "done")
        assert (item.start, item.end, item.option) == (
            previous.item(cid).start,
            previous.item(cid).end,
            previous.item(cid).option,
        )
    assert [c.id for c in report.completed] == ["a", "c"]
    assert not {m.id for m in report.moved} & {"a", "c"}
    # re-planned again on day 15 (b done, d half way): still there, still where they were
    again, _ = replanned(tmp_path / "3", result.plan, engagement(done=("a", "c", "b")), DAY[15])
    assert schedule(again.plan)["a"] == (0, 5, 1, "done")
    assert schedule(again.plan)["b"] == (10, 15, 1, "done")
    assert schedule(again.plan)["d"] == (15, 20, 1, "in-progress")
    frame = frame_replan(again.workspace, result.plan, DAY[15])
    assert {a.id for a in frame.roadmap.project.activities} == {"d"}


def test_in_progress_items_continue_from_today(tmp_path: Path) -> None:
    # On day 10, b (started day 5, option 1: 10 days with one ML engineer) is reassessed
    # partial, 30% left: 3 days from today, 10-13, still option 1, although a second ML
    # engineer has joined and option 2 (2 engineers) exists: it is not restarted elsewhere.
    # d (needs the ML engineer) could then start on day 10 beside b with 2 engineers: 10-20.
    previous = first_plan(tmp_path / "1", engagement())
    data = engagement(done=("a", "c"), mle=2, b={"status": "partial", "remaining": 0.3})
    result, report = replanned(tmp_path / "2", previous, data, DAY[10])
    b = result.plan.item("b")
    assert (b.state, b.start_day, b.end_day, b.option) == ("in-progress", 10, 13, 1)
    assert b.started == DAY[5] and b.start == DAY[10] and b.remaining == 0.3
    assert "in progress since 2027-01-11" in b.why_then
    assert [c.id for c in report.in_progress] == ["b"]
    assert schedule(result.plan)["d"] == (10, 20, 1, "planned")
    # Without an answer for b, the calendar says half of it is left: 10-15, as planned.
    result, _ = replanned(tmp_path / "3", previous, engagement(done=("a", "c")), DAY[10])
    b = result.plan.item("b")
    assert (b.state, b.start_day, b.end_day, b.remaining) == ("in-progress", 10, 15, 0.5)


def test_work_not_reassessed_is_taken_as_planned(tmp_path: Path) -> None:
    # On day 10 nothing is reassessed: a and c, which the previous plan had finished by day
    # 5, are taken as done (and the plan records it); b, half way, continues 10-15.
    previous = first_plan(tmp_path / "1", engagement())
    result, report = replanned(tmp_path / "2", previous, engagement(), DAY[10])
    assert schedule(result.plan) == {
        "a": (0, 5, 1, "done"),
        "c": (0, 5, 1, "done"),
        "b": (10, 15, 1, "in-progress"),
        "d": (15, 25, 1, "planned"),
    }
    assert [(a.id, a.planned_end) for a in result.plan.assumed_done] == [
        ("a", result.plan.item("a").end),
        ("c", result.plan.item("c").end),
    ]
    assert "taken as done as planned" in report.completed[0].reason
    assert report.moved == ()


def test_no_change_gives_back_the_same_schedule(tmp_path: Path) -> None:
    previous = first_plan(tmp_path / "1", engagement())
    # Re-planned on its first day with the same engagement: the very same schedule.
    same, report = replanned(tmp_path / "2", previous, engagement(), DAY[0])
    assert schedule(same.plan) == TINY_PLAN
    assert report.unchanged and report.moved == () and report.cost_delta == 0
    # On day 10, everything went as planned (a, c done; b half way): nothing moves, every
    # item ends when it was meant to, same milestones, same cost.
    later, report = replanned(tmp_path / "3", previous, engagement(done=("a", "c")), DAY[10])
    assert report.moved == () and report.added == () and report.removed == ()
    assert {i.id: i.end_day for i in later.plan.items} == {i.id: i.end_day for i in previous.items}
    assert report.target_after == report.target_before
    assert report.cost_delta == 0 and report.end_delta_days == 0
    assert later.plan.solver.objective["moved"] == 0


def test_late_capability_moves_only_what_must_move(tmp_path: Path) -> None:
    # First plan: x 0-40 (ML engineer) and w 0-40 (data scientist); y (needs x) 40-50, then
    # z 50-60 (the data scientist is busy until then; y first: level 1 needs it).
    # On day 30 (sprint 4), x is reassessed with 75% left (6 weeks): it ends on day 60, two
    # sprints late. y must follow: 60-70 (sprint 5 -> 7). w continues as planned (30-40).
    # z could start on day 40 now that y waits, but nothing is won by it (the target is
    # day 70 either way): the stable re-plan leaves z in sprint 6; a fresh plan pulls it
    # forward to sprint 5, one more move.
    previous = first_plan(tmp_path / "1", engagement(), LATE_CATALOG)
    assert schedule(previous) == {
        "x": (0, 40, 1, "planned"),
        "w": (0, 40, 1, "planned"),
        "y": (40, 50, 1, "planned"),
        "z": (50, 60, 1, "planned"),
    }
    late = engagement(x={"status": "partial", "remaining": 0.75})
    stable, stable_report = replanned(tmp_path / "2", previous, late, DAY[30], catalog=LATE_CATALOG)
    fresh, fresh_report = replanned(
        tmp_path / "3", previous, late, DAY[30], fresh=True, catalog=LATE_CATALOG
    )
    stable_moved = {m.id: (m.from_sprint, m.to_sprint) for m in stable_report.moved}
    fresh_moved = {m.id: (m.from_sprint, m.to_sprint) for m in fresh_report.moved}
    print(
        f"moved: stable {len(stable_moved)} {stable_moved}, fresh {len(fresh_moved)} {fresh_moved}"
    )
    assert stable_moved == {"x": (4, 6), "y": (5, 7)}
    assert fresh_moved == {"x": (4, 6), "y": (5, 7), "z": (6, 5)}
    assert len(stable_moved) == 2 < len(fresh_moved) == 3
    # both are equally good on the main objectives
    assert stable_report.target_after == fresh_report.target_after
    assert stable.plan.item("z").start_day == 50 and fresh.plan.item("z").start_day == 40
    assert stable.plan.item("w").end_day == 40
    y = next(m for m in stable_report.moved if m.id == "y")
    assert y.reasons[0] == "late prerequisite: x now ends 2027-03-26 (was 2027-02-26)"
    assert "late prerequisite: x" in render_changes(stable_report)


def test_a_team_member_leaving_names_the_affected_milestones(tmp_path: Path) -> None:
    # With two ML engineers: a, c 0-5; b 5-15 and d 5-15 side by side; target day 15.
    # On day 5 (a, c done) one engineer leaves: b and d now share one engineer; one of them
    # waits until day 15: the target (level 2) moves from Fri 2027-01-22 to Fri 2027-02-05,
    # and so does the area milestone of the capability that waits.
    previous = first_plan(tmp_path / "1", engagement(mle=2))
    assert previous.item("b").start_day == previous.item("d").start_day == 5
    data = engagement(done=("a", "c"), mle=2)
    team = data["team"]
    assert isinstance(team, dict)
    team["changes"] = [{"role": "mle", "change": -1, "from": DAY[5], "note": "leaves"}]
    _, report = replanned(tmp_path / "2", previous, data, DAY[5])
    moved = {m.id: m for m in report.milestones}
    assert moved["level-2"].from_date.isoformat() == "2027-01-22"  # type: ignore[union-attr]
    assert moved["level-2"].to_date is not None
    assert moved["level-2"].to_date.isoformat() == "2027-02-05"
    assert any("team change: ML engineer 2 → 1.5" in r for r in moved["level-2"].reasons)
    assert len(report.moved) == 1
    text = render_changes(report)
    assert "MLOps level 2 — advanced" in text and "team change: ML engineer" in text
    waiting = report.moved[0].id
    area = "Build level 2 — advanced" if waiting == "b" else "Run level 2 — advanced"
    assert area in text


def test_capabilities_enter_and_leave_with_the_gap(tmp_path: Path) -> None:
    # The target drops to level 1: b and d leave the plan; a and c stay where they were.
    previous = first_plan(tmp_path / "1", engagement())
    data = engagement()
    data["target"] = {"level": 1}
    result, report = replanned(tmp_path / "2", previous, data, DAY[0])
    assert set(schedule(result.plan)) == {"a", "c"}
    assert {c.id for c in report.removed} == {"b", "d"}
    assert all("new target" in c.reason for c in report.removed)
    # ... and back to level 2: they enter again
    _, report = replanned(tmp_path / "3", result.plan, engagement(), DAY[0])
    assert {c.id for c in report.added} == {"b", "d"}


def test_progress_overrides_are_the_engagements_answers(tmp_path: Path) -> None:
    # The seam for progress read back from a tracker: the same as answering in the file.
    previous = first_plan(tmp_path / "1", engagement())
    answered, _ = replanned(
        tmp_path / "2",
        previous,
        engagement(done=("a", "c"), b={"status": "partial", "remaining": 0.3}),
        DAY[10],
    )
    workspace = open_workspace(tiny.write(tmp_path / "1", engagement()))
    overridden = with_progress(
        workspace, {"a": ("done", None), "c": ("done", None), "b": ("partial", 0.3)}
    )
    from planner.scheduling.replan import replan

    result = replan(overridden, previous, DAY[10], time_limit=5)
    assert schedule(result.plan) == schedule(answered.plan)


def test_replanning_is_deterministic(tmp_path: Path) -> None:
    previous = first_plan(tmp_path / "1", engagement(), LATE_CATALOG)
    late = engagement(x={"status": "partial", "remaining": 0.75})
    runs = [
        replanned(tmp_path / f"r{n}", previous, late, DAY[30], catalog=LATE_CATALOG)
        for n in range(2)
    ]
    assert plan_to_json(runs[0][0].plan) == plan_to_json(runs[1][0].plan)
    assert render_changes(runs[0][1]) == render_changes(runs[1][1])
    # and the plan file reads back as it was written
    write_plan(runs[0][0].plan, tmp_path / "new.json")
    assert read_plan(tmp_path / "new.json") == runs[0][0].plan
    assert compare_plans(previous, read_plan(tmp_path / "new.json")) == runs[0][1]


def test_too_few_people_to_continue_all_work_in_progress_pauses_some(tmp_path: Path) -> None:
    # With two ML engineers: a 0-5 and c 0-5, then b (option 1, 1 mle) 5-15 beside d
    # (ds + 1 mle) 5-15. On day 7 one engineer has left: b and d are both in progress and
    # both need the one engineer left, so one of them must wait instead of the re-plan
    # being declared impossible; it resumes when the other is finished.
    previous = first_plan(tmp_path / "before", engagement(mle=2))
    assert previous.item("b").start_day == 5 and previous.item("d").start_day == 5
    today = date(2027, 1, 13)  # day 7
    result, _ = replanned(tmp_path / "after", previous, engagement(done=("a", "c")), today)
    b, d = result.plan.item("b"), result.plan.item("d")
    assert b.state == d.state == "in-progress"
    first, second = sorted((b, d), key=lambda i: i.start_day)
    assert first.start == today
    assert second.start_day >= first.end_day
    assert "paused from 2027-01-13" in second.why_then
