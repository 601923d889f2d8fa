"""Pushing a backlog to Azure DevOps Boards (the stand-in), under each of its switches."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from integrations.tracker.progress import read_progress
from integrations.tracker.sync import sync_backlog
from planner.backlog import OBSOLETE_LABEL, Backlog, epic_label, story_label
from tests.azure_devops_standin import AGILE, BASIC, CMMI, SCRUM, Process, StandIn
from tests.azure_devops_standin.helpers import ROADMAP, make_backlog, make_sprints, tracker_for
from tests.azure_devops_standin.state import PERSON

SWITCHES = [
    pytest.param({"process": AGILE}, id="agile"),
    pytest.param({"process": SCRUM, "predecessor_end": "forward"}, id="scrum-reversed"),
    pytest.param(
        {"process": BASIC, "tags_add_merges": True, "html_rewrite": True},
        id="basic-tags-merge-html-rewritten",
    ),
    pytest.param(
        {"process": CMMI, "predecessor_end": "forward", "tags_add_merges": True},
        id="cmmi-reversed-tags-merge",
    ),
]


def one(standin: StandIn, tag: str) -> int:
    [item_id] = standin.items_tagged(tag)
    return item_id


def assert_matches(standin: StandIn, backlog: Backlog) -> None:
    """Exactly one work item per backlog item, in place, each relation once."""
    state = standin.state
    ids: dict[str, int] = {}
    epic_type, requirement = (
        state.process.types[0].name,
        dict((c[0], c[2]) for c in state.process.categories)["Microsoft.RequirementCategory"][0],
    )
    for epic in backlog.epics:
        ids[epic.key] = one(standin, epic_label(epic.key))
        item = state.items[ids[epic.key]]
        assert item.type.name == epic_type
        assert item.fields["System.Title"] == epic.summary
        assert item.fields["System.IterationPath"] == f"MLOps\\{epic.fix_version}"
        assert item.fields["Microsoft.VSTS.Scheduling.StartDate"].startswith(str(epic.start_date))
        assert {ROADMAP, *epic.labels} <= {t.lower() for t in item.tags}
        for story in epic.stories:
            story_id = one(standin, story_label(story.key))
            assert state.items[story_id].type.name == requirement
            assert state.parent_of(story_id) == ids[epic.key]
            assert (
                state.items[story_id].fields["System.IterationPath"]
                == (item.fields["System.IterationPath"])
            )
    assert len(state.items) == len(backlog.epics) + sum(len(e.stories) for e in backlog.epics)
    pairs = state.dependency_pairs()
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(ids[lk.blocker], ids[lk.blocked]) for lk in backlog.links}
    for item in state.items.values():
        rels = [(r["rel"], r["url"]) for r in item.relations]
        assert len(rels) == len(set(rels))


@pytest.mark.parametrize("switches", SWITCHES)
def test_push_then_re_push_writes_nothing(switches: dict[str, object]) -> None:
    standin = StandIn(**switches)  # type: ignore[arg-type]
    backlog = make_backlog(epics=9, stories=2)
    report = sync_backlog(tracker_for(standin), backlog)
    assert_matches(standin, backlog)
    # Sprints became iterations with the plan's dates, selected for the team.
    root = standin.state.iteration_root
    assert [(n.name, n.start, n.finish) for n in root.children] == [
        (s.name, f"{s.start}T00:00:00Z", f"{s.finish}T00:00:00Z") for s in make_sprints()
    ]
    assert set(standin.state.team_iterations) == {n.identifier for n in root.children}
    way = "reversed" if switches.get("predecessor_end") == "forward" else "as documented"
    assert any(way in note for note in report.notes), report.notes
    standin.reset_traffic()
    again = sync_backlog(tracker_for(standin), backlog)
    assert standin.traffic.writes == 0
    assert again.done == [] and again.unchanged == 9 * 3
    wiql = [p for m, p, _s in standin.traffic.log if p.endswith("/_apis/wit/wiql")]
    assert len(wiql) == 1
    assert standin.contract is not None and standin.contract.violations == []


@pytest.mark.parametrize("switches", SWITCHES[:3])
def test_a_changed_plan_updates_what_changed_and_deletes_nothing(
    switches: dict[str, object],
) -> None:
    standin = StandIn(**switches)  # type: ignore[arg-type]
    backlog = make_backlog(epics=5, stories=2)
    sync_backlog(tracker_for(standin), backlog)
    moved = dataclasses.replace(
        backlog.epics[1], due_date=date(2026, 6, 1), summary="Capability 1, renamed"
    )
    removed = backlog.epics[4]
    changed = dataclasses.replace(
        backlog,
        epics=(backlog.epics[0], moved, *backlog.epics[2:4]),
        links=tuple(
            lk
            for lk in backlog.links
            if removed.key not in (lk.blocker, lk.blocked)
            and (lk.blocker, lk.blocked) != ("capability-02", "capability-03")
        ),
    )
    before = len(standin.state.items)
    report = sync_backlog(tracker_for(standin), changed, comment_obsolete=True)
    actions = [(line.action, line.what) for line in report.done]
    assert ("epic updated", "capability-01") in actions
    [detail] = [line.detail for line in report.done if line.what == "capability-01"]
    assert detail == "due_date, summary"
    moved_id = one(standin, epic_label(moved.key))
    assert standin.state.items[moved_id].fields["System.Title"] == "Capability 1, renamed"
    assert standin.state.items[moved_id].fields["Microsoft.VSTS.Scheduling.TargetDate"] == (
        "2026-06-01T00:00:00Z"
    )
    # Left the plan: tagged obsolete (with a comment), never deleted.
    assert len(standin.state.items) == before
    removed_id = one(standin, epic_label(removed.key))
    assert OBSOLETE_LABEL in standin.state.items[removed_id].tags
    assert len([a for a, _w in actions if a == "marked obsolete"]) == 1 + len(removed.stories)
    # The dependency the plan dropped is gone, the others stay.
    ids = {e.key: one(standin, epic_label(e.key)) for e in changed.epics}
    assert (ids["capability-02"], ids["capability-03"]) not in standin.state.dependency_pairs()
    assert (ids["capability-00"], ids["capability-01"]) in standin.state.dependency_pairs()
    standin.reset_traffic()
    sync_backlog(tracker_for(standin), changed)
    assert standin.traffic.writes == 0
    # Back in the plan: the obsolete tag goes.
    sync_backlog(tracker_for(standin), backlog)
    assert OBSOLETE_LABEL not in standin.state.items[removed_id].tags
    assert_matches(standin, backlog)
    assert standin.contract is not None and standin.contract.violations == []


@pytest.mark.parametrize("rewrite", [False, True], ids=["html-as-sent", "html-rewritten"])
def test_a_persons_edit_is_kept_and_reported_then_forced(rewrite: bool) -> None:
    standin = StandIn(html_rewrite=rewrite)
    backlog = make_backlog(epics=3, stories=1)
    sync_backlog(tracker_for(standin), backlog)
    epic_id = one(standin, epic_label("capability-01"))
    standin.state.edit(epic_id, "System.Title", "Our own title")
    standin.state.edit(epic_id, "Microsoft.VSTS.Scheduling.TargetDate", "2026-09-30T00:00:00Z")
    tags = "; ".join([*standin.state.items[epic_id].tags, "team-x"])  # a tag edit after them
    standin.state.edit(epic_id, "System.Tags", tags)
    standin.reset_traffic()
    report = sync_backlog(tracker_for(standin), backlog)
    assert standin.traffic.writes == 0
    kept = sorted(line.detail.split(" ")[0] for line in report.done if line.action == "kept")
    assert kept == ["due_date", "summary"]
    assert standin.state.items[epic_id].fields["System.Title"] == "Our own title"
    # The plan changes another field of that epic: written, the person's edits stay.
    moved = dataclasses.replace(backlog.epics[1], estimate_hours=80.0)
    changed = dataclasses.replace(backlog, epics=(backlog.epics[0], moved, backlog.epics[2]))
    sync_backlog(tracker_for(standin), changed)
    item = standin.state.items[epic_id]
    assert item.fields["System.Title"] == "Our own title"
    assert item.fields["Microsoft.VSTS.Scheduling.Effort"] == 10.0
    assert "team-x" in item.tags
    # --force puts the plan back.
    sync_backlog(tracker_for(standin), changed, force=True)
    assert standin.state.items[epic_id].fields["System.Title"] == backlog.epics[1].summary
    standin.reset_traffic()
    assert sync_backlog(tracker_for(standin), changed).done == []
    assert standin.traffic.writes == 0


def test_completed_work_is_never_rewritten_and_removed_work_is_dropped() -> None:
    standin = StandIn(process=SCRUM)
    backlog = make_backlog(epics=3, stories=2)
    sync_backlog(tracker_for(standin), backlog)
    done_id = one(standin, epic_label("capability-00"))
    dropped_id = one(standin, epic_label("capability-01"))
    going_id = one(standin, epic_label("capability-02"))
    standin.state.set_state(done_id, "Done")
    standin.state.set_state(dropped_id, "Removed")
    standin.state.set_state(going_id, "In Progress")
    story_id = one(standin, story_label("capability-02/1"))
    standin.state.set_state(story_id, "Done")
    renamed = tuple(dataclasses.replace(e, summary=e.summary + " (v2)") for e in backlog.epics)
    report = sync_backlog(tracker_for(standin), dataclasses.replace(backlog, epics=renamed))
    updated = {line.what for line in report.done if line.action == "epic updated"}
    assert updated == {"capability-02"}
    assert not standin.state.items[done_id].fields["System.Title"].endswith("(v2)")
    progress = read_progress(tracker_for(standin), ROADMAP, [e.key for e in backlog.epics])
    assert progress["capability-00"].status_category == "done"
    assert progress["capability-00"].resolution == "achieved"
    assert progress["capability-00"].resolution_date is not None
    assert progress["capability-01"].resolution == "dropped"
    assert progress["capability-02"].status_category == "in-progress"
    assert (progress["capability-02"].stories_done, progress["capability-02"].stories_total) == (
        1,
        2,
    )


def test_a_csv_imported_backlog_is_adopted_not_duplicated() -> None:
    """Items that carry the identity tags but no push record (as a CSV import makes them)
    are found and updated in place; the next push writes nothing."""
    standin = StandIn()
    backlog = make_backlog(epics=2, stories=1)
    sync_backlog(tracker_for(standin), backlog)
    for item in standin.state.items.values():  # as if imported: no push record tag
        item.fields["System.Tags"] = "; ".join(
            t for t in item.tags if not t.startswith("mlops-pushed-")
        )
    count = len(standin.state.items)
    report = sync_backlog(tracker_for(standin), backlog)
    assert len(standin.state.items) == count
    assert not [line for line in report.done if line.action.endswith("created")]
    standin.reset_traffic()
    sync_backlog(tracker_for(standin), backlog)
    assert standin.traffic.writes == 0


@pytest.mark.parametrize("process", [AGILE, SCRUM])
def test_two_roadmaps_share_a_project(process: Process) -> None:
    standin = StandIn(process=process)
    first = make_backlog(epics=2, roadmap="roadmap-a")
    second = make_backlog(epics=2, roadmap="roadmap-b")
    sync_backlog(tracker_for(standin), first)
    report = sync_backlog(tracker_for(standin), second)
    assert not [line for line in report.done if line.action == "marked obsolete"]
    assert len(standin.state.items) == 2 * (2 + 4)
    standin.reset_traffic()
    sync_backlog(tracker_for(standin), first)
    sync_backlog(tracker_for(standin), second)
    assert standin.traffic.writes == 0
    assert PERSON["uniqueName"] not in str(standin.state.items[101].fields["System.CreatedBy"])


def test_an_identity_tag_removed_by_hand_is_recognised_and_restored() -> None:
    standin = StandIn()
    backlog = make_backlog(epics=2, stories=1)
    sync_backlog(tracker_for(standin), backlog)
    epic_id = one(standin, epic_label("capability-01"))
    tags = [t for t in standin.state.items[epic_id].tags if t != epic_label("capability-01")]
    standin.state.edit(epic_id, "System.Tags", "; ".join(tags))
    count = len(standin.state.items)
    report = sync_backlog(tracker_for(standin), backlog)
    assert len(standin.state.items) == count  # no second epic
    assert one(standin, epic_label("capability-01")) == epic_id  # the tag is back
    assert any("identity label restored" in line.detail for line in report.done)
    standin.reset_traffic()
    sync_backlog(tracker_for(standin), backlog)
    assert standin.traffic.writes == 0
