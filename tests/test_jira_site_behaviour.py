"""Jira as it really behaves: people's edits kept, search lag, roadmaps side by side,
links removed, identity that survives hand edits, dropped work, leaky proxies."""

from __future__ import annotations

import base64
import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from integrations.tracker import read_progress, sync_backlog
from integrations.tracker.sync import SyncReport
from planner.backlog import Backlog, epic_label, story_label
from planner.backlog_build import backlog_from_plan
from planner.backlog_progress import DROPPED, epic_reading
from planner.errors import ExitCode, TrackerError
from planner.plan import PlannedStory
from tests.jira_standin import CLOUD, ODD_CLOUD, SERVER, Fault, Flavour, StandIn
from tests.jira_standin.helpers import ROADMAP, gateway_for, make_backlog
from tests.jira_standin.state import Issue, Link
from tests.reports.fixture import small_plan


def kept(report: SyncReport) -> set[str]:
    return {line.detail.split()[0] for line in report.done if line.action == "kept"}


def key_of(standin: StandIn, label: str) -> str:
    [key] = standin.issues_with_label(label)
    return key


@pytest.mark.parametrize("flavour", [CLOUD, SERVER, ODD_CLOUD], ids=["cloud", "server", "odd"])
def test_a_hand_edit_is_kept_and_reported_then_overwritten_with_force(flavour: Flavour) -> None:
    standin = StandIn(flavour)
    gateway = gateway_for(standin)
    backlog = make_backlog(epics=3, stories=1)
    sync_backlog(gateway, backlog)
    epic = backlog.epics[1]
    fields = standin.state.issues[key_of(standin, epic_label(epic.key))].fields
    other = next(v for v in standin.state.versions if v["name"] != epic.fix_version)
    edits = {
        "summary": "Renamed by the team",
        "description": "Our own words about it.",
        "duedate": "2030-01-01",
        "fixVersions": [other],
    }
    fields.update(edits)

    standin.reset_traffic()
    dry = sync_backlog(gateway, backlog, dry_run=True)
    assert kept(dry) == {"summary", "description", "due_date", "fix_versions"}
    assert "keep 4 fields people changed" in dry.summary()
    report = sync_backlog(gateway, backlog)
    assert standin.traffic.writes == 0
    assert kept(report) == kept(dry)
    assert "--force overwrites it" in str(report)
    assert {name: fields[name] for name in edits} == edits

    forced = sync_backlog(gateway, backlog, force=True)
    assert kept(forced) == set()
    assert fields["summary"] == epic.summary
    assert fields["duedate"] == epic.due_date.isoformat()  # type: ignore[union-attr]
    assert [v["name"] for v in fields["fixVersions"]] == [epic.fix_version]
    assert "Level" in fields["description"] and "Our own words" not in fields["description"]
    standin.reset_traffic()
    assert kept(sync_backlog(gateway, backlog)) == set()
    assert standin.traffic.writes == 0


def test_a_plan_change_to_a_field_nobody_touched_is_written() -> None:
    standin = StandIn(ODD_CLOUD)  # descriptions read back re-rendered
    gateway = gateway_for(standin)
    backlog = make_backlog(epics=2, stories=0)
    sync_backlog(gateway, backlog)
    changed_epic = dataclasses.replace(
        backlog.epics[0], description=backlog.epics[0].description + "\nA new line."
    )
    changed = dataclasses.replace(backlog, epics=(changed_epic, backlog.epics[1]))
    report = sync_backlog(gateway, changed)
    assert [(line.action, line.detail) for line in report.done] == [("epic updated", "description")]
    key = key_of(standin, epic_label(changed_epic.key))
    assert "A new line." in standin.state.issues[key].fields["description"]


def shifted(backlog: Backlog, days: int, roadmap: str) -> Backlog:
    step = timedelta(days=days)
    epics = tuple(
        dataclasses.replace(
            e,
            due_date=e.due_date + step if e.due_date else None,
            start_date=e.start_date + step if e.start_date else None,
        )
        for e in backlog.epics
    )
    versions = tuple(
        dataclasses.replace(v, release_date=v.release_date + step if v.release_date else None)
        for v in backlog.versions
    )
    return dataclasses.replace(backlog, roadmap=roadmap, epics=epics, versions=versions)


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_two_roadmaps_pushed_alternately_make_no_writes_after_the_first_round(
    flavour: Flavour,
) -> None:
    standin = StandIn(flavour)
    base = make_backlog(epics=4, stories=1)
    first, second = shifted(base, 0, "roadmap-a"), shifted(base, 30, "roadmap-b")
    sync_backlog(gateway_for(standin), first)
    report = sync_backlog(gateway_for(standin), second)
    assert not [line for line in report.done if line.action == "version updated"]
    standin.reset_traffic()
    for backlog in (first, second, first):
        again = sync_backlog(gateway_for(standin), backlog)
        assert again.done == [], [str(line) for line in again.done]
    assert standin.traffic.writes == 0
    assert len(standin.state.issues) == 2 * (4 + 4)
    names = sorted(v["name"] for v in standin.state.versions)
    assert len(names) == 6 and sum(name.endswith("(roadmap-b)") for name in names) == 3
    for version in standin.state.versions:
        owner = "roadmap-b" if version["name"].endswith("(roadmap-b)") else "roadmap-a"
        assert version["description"].endswith(f"[roadmap {owner}]")


def test_a_lost_answer_in_one_roadmap_never_adopts_another_roadmaps_issues() -> None:
    standin = StandIn(CLOUD)
    base = make_backlog(epics=2, stories=0)
    sync_backlog(gateway_for(standin), shifted(base, 0, "roadmap-a"))
    # B's bulk create is refused before it happens, and its answer is lost: B must look
    # for its own epics only (the same identity labels exist in roadmap A).
    standin.faults = [Fault(at=2, kind="drop-before", path="issue/bulk")]
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway_for(standin), shifted(base, 0, "roadmap-b"))
    assert "Run the push again in a few minutes" in raised.value.message
    assert raised.value.exit_code == ExitCode.TRACKER
    standin.faults = []
    sync_backlog(gateway_for(standin), shifted(base, 0, "roadmap-b"))
    for epic in base.epics:
        keys = standin.issues_with_label(epic_label(epic.key))
        assert len(keys) == 2
        roadmaps = {
            label
            for key in keys
            for label in standin.state.issues[key].fields["labels"]
            if label.startswith("roadmap-")
        }
        assert roadmaps == {"roadmap-a", "roadmap-b"}


def outsider(standin: StandIn) -> str:
    """An issue of the project outside any roadmap, made by a person."""
    state = standin.state
    key = f"{state.project_key}-{state.next_number}"
    state.next_number += 1
    state.issues[key] = Issue(state.new_id(), key, "10002", {"summary": "Vendor contract"})
    return key


@pytest.mark.parametrize("flavour", [CLOUD, ODD_CLOUD], ids=["cloud", "odd"])
def test_a_dropped_prerequisite_loses_its_link_and_links_outside_are_untouched(
    flavour: Flavour,
) -> None:
    standin = StandIn(flavour)
    gateway = gateway_for(standin)
    backlog = make_backlog(epics=4, stories=0)
    sync_backlog(gateway, backlog)
    keys = {e.key: key_of(standin, epic_label(e.key)) for e in backlog.epics}
    other = outsider(standin)
    standin.state.links.append(Link(standin.state.new_id(), keys["capability-00"], other))
    dropped, rest = backlog.links[0], backlog.links[1:]
    changed = dataclasses.replace(backlog, links=rest)

    dry = sync_backlog(gateway, changed, dry_run=True)
    assert [line.action for line in dry.done] == ["would unlink"]
    assert "the plan no longer has this dependency" in str(dry)
    report = sync_backlog(gateway, changed)
    assert [line.action for line in report.done] == ["unlinked"]
    assert standin.link_pairs() == {(keys[lk.blocker], keys[lk.blocked]) for lk in rest} | {
        (keys["capability-00"], other)
    }
    assert (keys[dropped.blocker], keys[dropped.blocked]) not in standin.link_pairs()


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_an_identity_label_removed_by_hand_is_recognised_and_restored(flavour: Flavour) -> None:
    standin = StandIn(flavour)
    gateway = gateway_for(standin)
    backlog = make_backlog(epics=3, stories=1)
    sync_backlog(gateway, backlog)
    label = epic_label(backlog.epics[1].key)
    key = key_of(standin, label)
    story = story_label(backlog.epics[1].stories[0].key)
    story_key = key_of(standin, story)
    for issue, gone in ((key, label), (story_key, story)):
        standin.state.issues[issue].fields["labels"].remove(gone)
    count = len(standin.state.issues)

    report = sync_backlog(gateway, backlog)
    assert len(standin.state.issues) == count
    assert not [
        line for line in report.done if "created" in line.action or "obsolete" in line.action
    ]
    restored = [line for line in report.done if "identity label restored" in line.detail]
    assert {line.issue_key for line in restored} == {key, story_key}
    assert standin.issues_with_label(label) == [key]
    assert standin.issues_with_label(story) == [story_key]


def test_a_story_inserted_in_the_catalog_renames_no_other_story() -> None:
    plan = small_plan()
    item = plan.items[0]
    before_stories = tuple(PlannedStory(f"Step {n}", id=f"step-{n}") for n in range(3))
    before = dataclasses.replace(
        plan, items=(dataclasses.replace(item, stories=before_stories), *plan.items[1:])
    )
    inserted = (
        before_stories[0],
        dataclasses.replace(before_stories[0], id="new-first-check", title="A new check"),
        *before_stories[1:],
    )
    after = dataclasses.replace(
        plan, items=(dataclasses.replace(item, stories=inserted), *plan.items[1:])
    )
    old = {s.summary: s.key for _, s in backlog_from_plan(before).stories()}
    new = {s.summary: s.key for _, s in backlog_from_plan(after).stories()}
    assert {title: new[title] for title in old} == old
    assert new["A new check"] == f"{item.id}/new-first-check"

    # And in Jira: the push creates the inserted story and touches no other.
    standin = StandIn(CLOUD)
    gateway = gateway_for(standin)
    sync_backlog(gateway, backlog_from_plan(before))
    report = sync_backlog(gateway, backlog_from_plan(after))
    assert [(line.action, line.what) for line in report.done] == [
        ("story created", f"{item.id}/new-first-check")
    ]


def test_stories_pushed_by_position_are_taken_over_when_they_get_ids() -> None:
    plan = small_plan()
    item = plan.items[0]
    positional = tuple(PlannedStory(f"Step {n}") for n in range(3))
    with_ids = tuple(dataclasses.replace(s, id=f"step-{n}") for n, s in enumerate(positional))
    standin = StandIn(CLOUD)
    gateway = gateway_for(standin)
    first = dataclasses.replace(
        plan, items=(dataclasses.replace(item, stories=positional), *plan.items[1:])
    )
    sync_backlog(gateway, backlog_from_plan(first))
    count = len(standin.state.issues)
    second = dataclasses.replace(
        plan, items=(dataclasses.replace(item, stories=with_ids), *plan.items[1:])
    )
    sync_backlog(gateway, backlog_from_plan(second))
    assert len(standin.state.issues) == count
    assert standin.issues_with_label(story_label(f"{item.id}/1")) == []
    assert len(standin.issues_with_label(story_label(f"{item.id}/step-0"))) == 1


def test_a_wont_do_epic_is_dropped_not_achieved() -> None:
    standin = StandIn(CLOUD)
    gateway = gateway_for(standin)
    backlog = make_backlog(epics=3, stories=1)
    sync_backlog(gateway, backlog)
    when = datetime(2026, 2, 1, tzinfo=UTC)
    standin.state.set_status(key_of(standin, epic_label("capability-00")), "done", when, "Won't Do")
    standin.state.set_status(key_of(standin, epic_label("capability-01")), "done", when)
    progress = read_progress(gateway, ROADMAP, [e.key for e in backlog.epics])
    assert progress["capability-00"].resolution == "dropped"
    assert progress["capability-01"].resolution == "achieved"
    today = date(2026, 3, 1)
    assert epic_reading(progress["capability-00"], today) == DROPPED
    assert epic_reading(progress["capability-01"], today).status == "done"


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_a_re_push_right_after_the_first_under_search_lag_creates_nothing(
    flavour: Flavour,
) -> None:
    standin = StandIn(dataclasses.replace(flavour, search_lag=10_000))
    backlog = make_backlog(epics=8, stories=2)
    sync_backlog(gateway_for(standin), backlog)
    count = len(standin.state.issues)
    standin.reset_traffic()
    report = sync_backlog(gateway_for(standin), backlog)
    assert len(standin.state.issues) == count
    assert report.done == [] and standin.traffic.writes == 0


def test_a_lost_answer_under_a_long_search_lag_stops_with_exit_4_instead_of_duplicating() -> None:
    standin = StandIn(dataclasses.replace(CLOUD, search_lag=10_000))
    backlog = make_backlog(epics=3, stories=0)
    standin.faults = [Fault(at=1, kind="drop-after", path="issue/bulk")]
    waits: list[float] = []
    gateway = gateway_for(standin)
    gateway._http.sleep = waits.append
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, backlog)
    assert "they may exist already. Run the push again in a few minutes" in raised.value.message
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0]  # looked up with backoff, then stopped
    assert len(standin.state.issues) == 3  # created once, by the lost request only
    standin.state.catch_up()  # the search has caught up
    standin.faults = []
    sync_backlog(gateway_for(standin), backlog)
    assert len(standin.state.issues) == 3


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_a_proxy_echoing_authorization_leaks_nothing(flavour: Flavour) -> None:
    secret = "SECRET-proxy-t0ken-DO-NOT-LEAK"
    standin = StandIn(dataclasses.replace(flavour, echo_authorization=True))
    standin.state.token = secret
    outputs: list[str] = []
    user = standin.state.user
    forms = [secret, base64.b64encode(f"{user}:{secret}".encode()).decode()]
    forms.append(base64.b64encode(f"{user}:{secret}x".encode()).decode())
    with pytest.raises(TrackerError) as raised:
        gateway_for(standin, token=secret + "x")  # refused: the proxy echoes the header
    outputs.append(str(raised.value))
    gateway = gateway_for(standin, token=secret)
    standin.state.can_create = False
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=2))
    outputs.append(str(raised.value))
    assert any("<redacted>" in text for text in outputs)
    for text in outputs:
        for form in forms:
            assert form not in text
