"""Pushing a backlog: first push, repeat push, changed backlog, dry run, progress."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from integrations.tracker import RemoteState, plan_changes, read_progress, sync_backlog
from integrations.tracker.progress import progress_for
from planner.backlog import OBSOLETE_LABEL, epic_label, story_label
from tests.jira_standin import SITE_IDS, SITES, StandIn
from tests.jira_standin.helpers import ROADMAP, gateway_for, make_backlog


@pytest.fixture(params=SITES, ids=SITE_IDS)
def standin(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    fake = StandIn(request.param)
    yield fake
    assert fake.contract is not None
    assert fake.contract.violations == [], "\n".join(fake.contract.violations)


def test_first_push_creates_everything_the_right_way_for_the_mode(standin: StandIn) -> None:
    backlog = make_backlog(epics=5, stories=2)
    report = sync_backlog(gateway_for(standin), backlog)

    state = standin.state
    assert len(state.issues) == 5 + 10
    for epic in backlog.epics:
        [epic_key] = standin.issues_with_label(epic_label(epic.key))
        issue = state.issues[epic_key]
        assert issue.fields["duedate"] == epic.due_date.isoformat()  # type: ignore[union-attr]
        assert ROADMAP in issue.fields["labels"]
        assert [v["name"] for v in issue.fields["fixVersions"]] == [epic.fix_version]
        if state.flavour.epic_name_id:  # Server: Epic Name required, filled from the summary
            assert issue.fields[state.flavour.epic_name_id] == epic.summary
        for story in epic.stories:
            [story_key] = standin.issues_with_label(story_label(story.key))
            assert state.epic_of(state.issues[story_key]) == epic_key
            if state.flavour.cloud:
                assert "parent" in state.issues[story_key].fields
            else:
                assert state.flavour.epic_link_id in state.issues[story_key].fields
    assert {(v["name"], v.get("releaseDate")) for v in state.versions} == {
        (v.name, v.release_date.isoformat()) for v in backlog.versions if v.release_date
    }
    keys = {e.key: standin.issues_with_label(epic_label(e.key))[0] for e in backlog.epics}
    assert standin.link_pairs() == {(keys[lk.blocker], keys[lk.blocked]) for lk in backlog.links}
    # Bulk creates: one call for 5 epics, one for 10 stories.
    assert standin.traffic.log.count(("POST", "issue/bulk", 201)) == 2
    assert all(
        line.url and line.url.endswith(line.issue_key or "?")
        for line in report.done
        if line.issue_key and "created" in line.action
    )


def test_second_push_makes_zero_write_calls(standin: StandIn) -> None:
    backlog = make_backlog(epics=6)
    gateway = gateway_for(standin)
    sync_backlog(gateway, backlog)
    standin.reset_traffic()
    report = sync_backlog(gateway, backlog)
    assert standin.traffic.writes == 0
    assert report.done == []
    assert report.unchanged == 6 * 3


def test_a_changed_backlog_updates_only_what_changed_and_never_deletes(standin: StandIn) -> None:
    backlog = make_backlog(epics=4)
    gateway = gateway_for(standin)
    sync_backlog(gateway, backlog)
    moved = dataclasses.replace(backlog.epics[1], due_date=date(2027, 1, 1))
    added = dataclasses.replace(
        backlog.epics[0], key="capability-new", summary="A new capability", stories=()
    )
    removed = backlog.epics[3]
    changed = dataclasses.replace(
        backlog,
        epics=(backlog.epics[0], moved, backlog.epics[2], added),
        links=tuple(lk for lk in backlog.links if removed.key not in (lk.blocker, lk.blocked)),
    )
    before = len(standin.state.issues)
    standin.reset_traffic()
    report = sync_backlog(gateway, changed, comment_obsolete=True)

    actions = sorted((line.action, line.what) for line in report.done)
    assert ("epic updated", "capability-01") in actions
    assert ("epic created", "capability-new") in actions
    obsolete = [line for line in report.done if line.action == "marked obsolete"]
    assert len(obsolete) == 1 + len(removed.stories)
    # Only the due date was sent for the moved epic.
    [moved_key] = standin.issues_with_label(epic_label(moved.key))
    assert ("epic updated", "capability-01") in actions
    assert [line.detail for line in report.done if line.what == "capability-01"] == ["due_date"]
    assert standin.state.issues[moved_key].fields["duedate"] == "2027-01-01"
    # Nothing deleted: the removed epic and its stories are labelled and commented.
    assert len(standin.state.issues) == before + 1
    [removed_key] = standin.issues_with_label(epic_label(removed.key))
    assert OBSOLETE_LABEL in standin.state.issues[removed_key].fields["labels"]
    assert standin.state.issues[removed_key].comments
    # And the push after that is quiet again.
    standin.reset_traffic()
    sync_backlog(gateway, changed)
    assert standin.traffic.writes == 0


def test_an_item_back_in_the_plan_loses_its_obsolete_label(standin: StandIn) -> None:
    backlog = make_backlog(epics=2, stories=0)
    gateway = gateway_for(standin)
    sync_backlog(gateway, backlog)
    sync_backlog(gateway, dataclasses.replace(backlog, epics=backlog.epics[:1], links=()))
    sync_backlog(gateway, backlog)
    [key] = standin.issues_with_label(epic_label(backlog.epics[1].key))
    assert OBSOLETE_LABEL not in standin.state.issues[key].fields["labels"]
    assert len(standin.state.issues) == 2


def test_dry_run_makes_no_write_calls(standin: StandIn) -> None:
    backlog = make_backlog(epics=3)
    report = sync_backlog(gateway_for(standin), backlog, dry_run=True)
    assert standin.traffic.writes == 0
    assert len([line for line in report.done if line.action == "would create epic"]) == 3
    assert "It would create 3 versions, create 3 epics, create 6 stories" in report.summary()


def test_plan_changes_works_with_no_connection_at_all() -> None:
    backlog = make_backlog(epics=3, stories=2)
    changes = plan_changes(backlog, RemoteState())
    assert [c.item_key for c in changes.create_epics] == [e.key for e in backlog.epics]
    assert len(changes.create_stories) == 6
    assert len(changes.create_versions) == 3
    assert len(changes.links) == len(backlog.links)
    assert not changes.updates and not changes.obsolete and not changes.unchanged


def test_two_roadmaps_share_a_project_without_touching_each_other(standin: StandIn) -> None:
    gateway = gateway_for(standin)
    sync_backlog(gateway, make_backlog(epics=2, roadmap="roadmap-a"))
    report = sync_backlog(gateway, make_backlog(epics=2, roadmap="roadmap-b"))
    assert not [line for line in report.done if line.action == "marked obsolete"]
    assert len(standin.state.issues) == 2 * (2 + 4)


def test_progress_reads_status_and_story_counts(standin: StandIn) -> None:
    backlog = make_backlog(epics=2, stories=3)
    gateway = gateway_for(standin)
    sync_backlog(gateway, backlog)
    [epic_key] = standin.issues_with_label(epic_label("capability-00"))
    finished = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    standin.state.set_status(epic_key, "done", finished)
    for story in backlog.epics[0].stories[:2]:
        [key] = standin.issues_with_label(story_label(story.key))
        standin.state.set_status(key, "done", finished)
    [other] = standin.issues_with_label(epic_label("capability-01"))
    standin.state.set_status(other, "in-progress")

    progress = read_progress(gateway, ROADMAP)
    first = progress_for(progress, "capability-00")
    assert first is not None
    assert (
        first.status_category,
        first.resolution_date,
        first.stories_done,
        first.stories_total,
    ) == (
        "done",
        finished,
        2,
        3,
    )
    second = progress_for(progress, "capability-01")
    assert (
        second is not None and second.status_category == "in-progress" and second.stories_done == 0
    )
