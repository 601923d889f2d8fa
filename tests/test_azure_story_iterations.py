"""A re-plan that moves an epic to another sprint moves its stories with it on Boards; a
story a person moved by hand is kept and reported like any hand edit, unless forced."""

from __future__ import annotations

import dataclasses

import pytest

from integrations.azure_devops.backlog import Sprint, azure_backlog
from integrations.azure_devops.describe import plain_quotes
from integrations.azure_devops.gateway import connect
from integrations.azure_devops.record import RECORD_PREFIX, record_tag
from integrations.azure_devops.settings import AzureCredentials, AzureSettings
from integrations.azure_devops.tracker import AzureTracker
from integrations.tracker.ownership import fingerprint
from integrations.tracker.sync import SyncReport, sync_backlog
from planner.backlog import Backlog, epic_label, story_label
from planner.plan import Plan
from tests.azure_devops_standin import StandIn
from tests.reports.fixture import small_plan

ENDS = pytest.mark.parametrize("end", ["reverse", "forward"], ids=["documented", "reversed"])
CAPABILITY = "data-pipeline"  # two stories


def tracker_for(standin: StandIn, sprints: tuple[Sprint, ...]) -> AzureTracker:
    boards = connect(
        AzureSettings(standin.url, "MLOps"),
        AzureCredentials(standin.state.token),
        session=standin.session(),
        sleep=lambda seconds: None,
    )
    return AzureTracker(boards, sprints, wait=lambda seconds: None)


def moved(plan: Plan, capability: str, sprint: int) -> Plan:
    """The plan re-planned so that ``capability`` starts in ``sprint``."""
    items = tuple(
        dataclasses.replace(i, sprint_start=sprint, sprint_end=max(i.sprint_end, sprint))
        if i.id == capability
        else i
        for i in plan.items
    )
    return dataclasses.replace(plan, items=items)


def push(standin: StandIn, plan: Plan, *, force: bool = False) -> tuple[Backlog, SyncReport]:
    backlog, sprints = azure_backlog(plan)
    return backlog, sync_backlog(tracker_for(standin, sprints), backlog, force=force)


def iteration(standin: StandIn, tag: str) -> str:
    [item_id] = standin.items_tagged(tag)
    return str(standin.state.items[item_id].fields["System.IterationPath"])


def story_tags(backlog: Backlog, capability: str) -> list[str]:
    [epic] = [e for e in backlog.epics if e.key == capability]
    return [story_label(s.key) for s in epic.stories]


@ENDS
def test_stories_follow_their_epic_to_another_sprint(end: str) -> None:
    standin = StandIn(predecessor_end=end)
    plan = small_plan()
    backlog, _ = push(standin, plan)
    stories = story_tags(backlog, CAPABILITY)
    assert len(stories) == 2
    before = iteration(standin, epic_label(CAPABILITY))
    assert all(iteration(standin, s) == before for s in stories)

    replanned = moved(plan, CAPABILITY, 3)
    _, report = push(standin, replanned)
    assert iteration(standin, epic_label(CAPABILITY)) == "MLOps\\Sprint 3" != before
    assert [iteration(standin, s) for s in stories] == ["MLOps\\Sprint 3"] * 2
    assert not [line for line in report.done if line.action == "kept"]
    standin.reset_traffic()
    _, again = push(standin, replanned)
    assert standin.traffic.writes == 0 and again.done == []
    assert standin.contract is not None and standin.contract.violations == []


@ENDS
def test_a_story_moved_by_hand_is_kept_and_reported_then_forced(end: str) -> None:
    standin = StandIn(predecessor_end=end)
    plan = small_plan()
    backlog, _ = push(standin, plan)
    by_hand, follows = story_tags(backlog, CAPABILITY)
    [story_id] = standin.items_tagged(by_hand)
    standin.state.edit(story_id, "System.IterationPath", "MLOps\\Sprint 2")

    standin.reset_traffic()
    _, same = push(standin, plan)  # the plan did not change: the move is kept
    assert standin.traffic.writes == 0
    assert [(line.action, line.detail.split()[0]) for line in same.done] == [
        ("kept", "fix_versions")
    ]
    replanned = moved(plan, CAPABILITY, 3)
    _, report = push(standin, replanned)  # the epic moves; the hand-moved story stays
    assert iteration(standin, epic_label(CAPABILITY)) == "MLOps\\Sprint 3"
    assert iteration(standin, follows) == "MLOps\\Sprint 3"
    assert iteration(standin, by_hand) == "MLOps\\Sprint 2"
    kept = [line for line in report.done if line.action == "kept"]
    assert [(line.detail.split()[0]) for line in kept] == ["fix_versions"]
    assert "--force overwrites it" in str(report)
    push(standin, replanned, force=True)
    assert iteration(standin, by_hand) == "MLOps\\Sprint 3"
    standin.reset_traffic()
    _, again = push(standin, replanned)
    assert standin.traffic.writes == 0 and again.done == []


def test_a_story_pushed_before_stories_followed_their_epic_still_reads_its_record() -> None:
    """A record tag made by an earlier version covers a story's title and description only:
    its fields are not taken for hand edits, its iteration follows the epic, a story a
    person had moved since that push is kept, and the old records are written anew once."""
    standin = StandIn()
    plan = small_plan()
    backlog, _ = push(standin, plan)
    by_hand, follows = story_tags(backlog, CAPABILITY)
    for item_id in [standin.items_tagged(story_label(s.key))[0] for _e, s in backlog.stories()]:
        item = standin.state.items[item_id]
        fields = {
            "summary": fingerprint("summary", item.fields["System.Title"]),
            "description": fingerprint(
                "description", plain_quotes(str(item.fields.get("System.Description", "")))
            ),
        }
        tags = [t for t in item.tags if not t.lower().startswith(RECORD_PREFIX)]
        standin.state.edit(item_id, "System.Tags", "; ".join([*tags, record_tag(fields)]))
    [story_id] = standin.items_tagged(by_hand)
    standin.state.edit(story_id, "System.IterationPath", "MLOps\\Sprint 2")

    _, report = push(standin, moved(plan, CAPABILITY, 3))
    assert iteration(standin, follows) == "MLOps\\Sprint 3"
    assert iteration(standin, by_hand) == "MLOps\\Sprint 2"
    kept = [line.detail.split()[0] for line in report.done if line.action == "kept"]
    assert kept == ["fix_versions"]
    # Every other story's old record was written anew (the moved one's still saying where
    # the push had put it), once: later pushes read no history.
    rewritten = [line for line in report.done if line.detail == "push record"]
    assert len(rewritten) == sum(len(e.stories) for e in backlog.epics) - 1
    standin.reset_traffic()
    _, again = push(standin, moved(plan, CAPABILITY, 3))
    assert standin.traffic.writes == 0
    assert [line.action for line in again.done] == ["kept"]
    assert not [p for _m, p, _s in standin.traffic.log if "revisions" in p]
