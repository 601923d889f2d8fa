"""``mlops-planner replan --from-jira``: progress read back from Jira, end to end against the
stand-in (Cloud and Server/DC), and the epic -> capability state mapping."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml

from planner.backlog import EpicProgress, epic_label, story_label
from planner.backlog_progress import (
    MIN_REMAINING,
    Reading,
    apply_readings,
    epic_reading,
    progress_from_tracker,
)
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan, write_plan
from planner.plan import Plan
from planner.scheduling.calendar import WorkCalendar
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from planner.scheduling.replan import frame_replan
from tests.conftest import EXAMPLES, RunCli
from tests.jira_standin import CLOUD, SERVER, StandIn
from tests.jira_standin.routes import BASE
from tests.jira_standin.wiring import wired_standin

SECRET = "SECRET-replan-t0ken-DO-NOT-LEAK"
TODAY = date(2027, 3, 1)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.mark.parametrize(
    ("epic", "expected"),
    [
        (EpicProgress("done", at(date(2027, 2, 1)), 3, 3), Reading("done", None, True)),
        (EpicProgress("done", None, 0, 2), Reading("done", None, True)),
        # resolved after the re-plan date: still in progress on it
        (EpicProgress("done", at(date(2027, 3, 2)), 1, 4), Reading("partial", 0.75, True)),
        (EpicProgress("in-progress", None, 0, 4), Reading("partial", None, True)),
        (EpicProgress("in-progress", None, 0, 0), Reading("partial", None, True)),
        (EpicProgress("in-progress", None, 1, 4), Reading("partial", 0.75, True)),
        (EpicProgress("in-progress", None, 4, 4), Reading("partial", MIN_REMAINING, True)),
        (EpicProgress("to-do", None, 0, 3), Reading("missing", None, False)),
        (EpicProgress("to-do", None, 1, 2), Reading("partial", 0.5, False)),
    ],
)
def test_an_epics_status_and_stories_give_the_capabilitys_state(
    epic: EpicProgress, expected: Reading
) -> None:
    assert epic_reading(epic, TODAY) == expected


@dataclass(frozen=True)
class Bank:
    engagement: Path
    plan: Path


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    folder = tmp_path_factory.mktemp("bank")
    engagement = folder / "bank.yaml"
    engagement.write_text(
        (EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    plan = folder / "plan.json"
    write_plan(make_plan(open_workspace(engagement), time_limit=10.0, workers=2), plan)
    return Bank(engagement, plan)


def test_an_engagement_answer_that_reassesses_wins_over_jira(bank: Bank, tmp_path: Path) -> None:
    previous = read_plan(bank.plan)
    answered = {i.id: i for i in previous.items if i.status == "partial"}
    assert "managed-compute" in answered
    jira = {cid: Reading("done", None, True) for cid in answered}
    # The first assessment's answers are what the plan was made with: Jira fills them.
    applied = apply_readings(open_workspace(bank.engagement), previous, jira)
    assert applied.engagement_wins == ()
    assert applied.workspace.assessment.states["managed-compute"].status == "done"
    # A changed answer is a reassessment: it wins.
    data = yaml.safe_load(bank.engagement.read_text(encoding="utf-8"))
    data["current"]["capabilities"]["managed-compute"]["remaining"] = 0.1
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    applied = apply_readings(open_workspace(changed), previous, jira)
    assert applied.engagement_wins == ("managed-compute",)
    state = applied.workspace.assessment.states["managed-compute"]
    assert (state.status, state.remaining) == ("partial", 0.1)


@pytest.fixture(params=[CLOUD, SERVER], ids=["cloud", "server"])
def standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    yield from wired_standin(request.param, monkeypatch, SECRET)


JIRA = ["--url", BASE, "--project", "MLOPS"]


def epic_key(standin: StandIn, capability: str) -> str:
    [key] = standin.issues_with_label(epic_label(capability))
    return key


def test_replan_from_jira_then_push_moves_only_what_moved(
    run_cli: RunCli, bank: Bank, standin: StandIn, tmp_path: Path
) -> None:
    previous = read_plan(bank.plan)
    result = run_cli(["push", str(bank.plan), *JIRA])
    assert result.exit_code == 0, result.stderr
    keys = {item.id: epic_key(standin, item.id) for item in previous.items}

    # Six weeks in: what the plan had finished is done in Jira (resolved on its end date);
    # one item it had started is in progress with one story of several done.
    calendar = WorkCalendar(previous.start, previous.sprint_weeks)
    today = calendar.to_date(30)
    finished = [i for i in previous.items if i.end < today]
    going = [i for i in previous.items if i.start < today <= i.end and len(i.stories) >= 2]
    assert finished and going
    busy = going[0]
    for item in finished:
        standin.state.set_status(keys[item.id], "done", at(item.end))
    standin.state.set_status(keys[busy.id], "in-progress")
    [story] = standin.issues_with_label(story_label(f"{busy.id}/{busy.stories[0].id or 1}"))
    standin.state.set_status(story, "done", at(today))

    result = run_cli(
        [
            "replan", str(bank.plan), "--engagement", str(bank.engagement), "--from-jira",
            *JIRA, "--today", today.isoformat(), "--out", "new.json", "--time-limit", "5",
        ],
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        f"progress read from Jira Cloud: {len(finished)} done, 1 in progress" in result.stdout
        or f"progress read from Jira Server/Data Center: {len(finished)} done, 1 in progress"
        in result.stdout
    )
    assert SECRET not in result.stdout + result.stderr
    new = read_plan(tmp_path / "new.json")
    for item in finished:
        assert new.item(item.id).state == "done"
        assert (new.item(item.id).start, new.item(item.id).end) == (item.start, item.end)
    share = 1 - 1 / len(busy.stories)
    assert new.item(busy.id).state == "in-progress" and new.item(busy.id).start == today
    assert f"{share:.0%} of the work left" in new.item(busy.id).why_then
    check_workspace(new, bank, previous, today, standin)

    moved = {
        i.id
        for i in new.items
        if (i.start, i.end) != (previous.item(i.id).start, previous.item(i.id).end)
    }
    assert busy.id in moved
    before = {keys[i.id]: copy.deepcopy(standin.state.issues[keys[i.id]].fields) for i in finished}
    standin.reset_traffic()
    result = run_cli(["push", str(tmp_path / "new.json"), *JIRA])
    assert result.exit_code == 0, result.stderr
    assert "created:" not in result.stdout and "marked obsolete" not in result.stdout
    updated = {
        line.split()[2] for line in result.stdout.splitlines() if line.startswith("epic updated:")
    }
    assert moved <= updated
    for item in new.items:  # exactly one issue per item, under its first key
        assert epic_key(standin, item.id) == keys[item.id]
        if item.id in moved:
            due = standin.state.issues[keys[item.id]].fields["duedate"]
            assert due == item.end.isoformat()
    for item in finished:  # done in Jira: untouched, not even their descriptions
        fields = standin.state.issues[keys[item.id]].fields
        assert fields["duedate"] == item.end.isoformat()
        assert f"epic updated: {item.id}" not in result.stdout
        assert comparable(before[keys[item.id]]) == comparable(fields)
    assert len(standin.state.issues) == len(previous.items) + sum(
        len(i.stories) for i in previous.items
    )
    standin.reset_traffic()
    assert run_cli(["push", str(tmp_path / "new.json"), *JIRA]).exit_code == 0
    assert standin.traffic.writes == 0


def comparable(fields: dict[str, object]) -> dict[str, object]:
    """An issue's fields with its versions by name (a version's own date may move)."""
    versions = fields.get("fixVersions")
    names = [v["name"] for v in versions] if isinstance(versions, list) else versions
    return {**fields, "fixVersions": names}


def check_workspace(new: Plan, bank: Bank, previous: Plan, today: date, standin: StandIn) -> None:
    from integrations.jira import read_jira_progress

    workspace = open_workspace(bank.engagement)
    epics, tracker = read_jira_progress(previous, workspace.engagement.jira, url=BASE,
                                        project="MLOPS")  # fmt: skip
    jira = progress_from_tracker(epics, workspace, previous, today, tracker)
    frame = frame_replan(jira.workspace, previous, today, started=jira.started)
    assert check_plan(new, frame.workspace) == []


def test_a_refused_token_exits_4_and_writes_nothing(
    run_cli: RunCli, bank: Bank, standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_API_TOKEN", SECRET + "-wrong")
    result = run_cli(
        [
            "replan", str(bank.plan), "-e", str(bank.engagement), "--from-jira", *JIRA,
            "--today", TODAY.isoformat(), "--out", "new.json",
        ],
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 4
    assert "the token was refused (HTTP 401)" in result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "new.json").exists()


def test_replan_takes_the_sites_type_names_as_flags_like_push(
    run_cli: RunCli, bank: Bank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A Server site with renamed issue types: the names the tool cannot find itself are given
    as flags to replan as to push (its error names the flag, which must exist)."""
    from tests.jira_standin import ODD_SERVER

    standin = next(wired_standin(ODD_SERVER, monkeypatch, SECRET))
    flavour = standin.state.flavour
    assert (flavour.epic_type, flavour.story_type) != ("Epic", "Story")
    names = ["--epic-type", flavour.epic_type, "--story-type", flavour.story_type]
    assert run_cli(["push", str(bank.plan), *JIRA, *names]).exit_code == 0
    start = read_plan(bank.plan).start
    args = [
        "replan", str(bank.plan), "--engagement", str(bank.engagement), "--from-jira", *JIRA,
        "--today", start.isoformat(), "--out", "new.json", "--time-limit", "5",
    ]  # fmt: skip

    without = run_cli(args, cwd=tmp_path)
    assert without.exit_code != 0
    assert "--epic-type" in without.stderr and not (tmp_path / "new.json").exists()

    result = run_cli([*args, *names], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "progress read from Jira Server/Data Center: 0 done" in result.stdout
    assert read_plan(tmp_path / "new.json").items
    assert SECRET not in result.stdout + result.stderr + without.stdout + without.stderr
