"""``mlops-planner push`` end to end against the stand-in Jira (Cloud and Server/DC).

The bank example is planned twice: as written, and with one data scientist fewer so that
dates move. Pushes go through the CLI; the stand-in is reached through the push module's
session hook, and holds every exchange against Atlassian's OpenAPI description.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from integrations.jira import push as push_module
from integrations.jira.describe import epic_description
from integrations.tracker.changes import epic_fields
from planner.backlog import Backlog, epic_label, story_label
from planner.backlog_build import backlog_from_plan
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan, write_plan
from planner.scheduling.planning import make_plan
from tests.conftest import EXAMPLES, RunCli
from tests.jira_standin import CLOUD, SERVER, StandIn
from tests.jira_standin.routes import BASE
from tests.jira_standin.wiring import wired_standin

SECRET = "SECRET-push-t0ken-4be1-DO-NOT-LEAK"


@dataclass(frozen=True)
class BankPlans:
    first: Path
    changed: Path


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> BankPlans:
    folder = tmp_path_factory.mktemp("bank")
    data = yaml.safe_load((EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8"))
    paths = []
    for name, scientists in (("first", 2), ("changed", 1)):
        data["team"]["roles"]["data-scientist"]["people"] = scientists
        engagement = folder / f"{name}.yaml"
        engagement.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        plan = folder / f"{name}-plan.json"
        write_plan(make_plan(open_workspace(engagement), time_limit=10.0, workers=2), plan)
        paths.append(plan)
    return BankPlans(*paths)


def backlog_of(path: Path) -> Backlog:
    return backlog_from_plan(read_plan(path), describe=epic_description)


@pytest.fixture(params=[CLOUD, SERVER], ids=["cloud", "server"])
def standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    yield from wired_standin(request.param, monkeypatch, SECRET)


def push(run_cli: RunCli, plan: Path, *extra: str) -> tuple[int, str, str]:
    result = run_cli(["push", str(plan), "--url", BASE, "--project", "MLOPS", *extra])
    return result.exit_code, result.stdout, result.stderr


def test_first_push_creates_everything_then_a_second_push_writes_nothing(
    run_cli: RunCli, bank: BankPlans, standin: StandIn
) -> None:
    backlog = backlog_of(bank.first)
    code, out, err = push(run_cli, bank.first)
    assert code == 0, err
    state = standin.state
    stories = list(backlog.stories())
    assert len(state.issues) == len(backlog.epics) + len(stories)
    keys = {}
    for epic in backlog.epics:
        [keys[epic.key]] = standin.issues_with_label(epic_label(epic.key))
        fields = state.issues[keys[epic.key]].fields
        assert fields["summary"] == epic.summary
        assert fields["duedate"] == epic.due_date.isoformat()  # type: ignore[union-attr]
        assert "h3. Why it is needed" in fields["description"]
        assert [v["name"] for v in fields["fixVersions"]] == [epic.fix_version]
        assert {"northgate-mlops", epic_label(epic.key), *epic.labels} <= set(fields["labels"])
        assert f"epic created: {epic.key} {keys[epic.key]} <{BASE}/browse/{keys[epic.key]}>" in out
    for epic, story in stories:
        [key] = standin.issues_with_label(story_label(story.key))
        assert state.epic_of(state.issues[key]) == keys[epic.key]
    assert sorted(v["name"] for v in state.versions) == [
        "MLOps level 2 — Automated Training",
        "MLOps level 3 — Automated Model Deployment",
    ]
    assert standin.link_pairs() == {(keys[lk.blocker], keys[lk.blocked]) for lk in backlog.links}
    assert out.startswith(f"pushed to Jira, project MLOPS at {BASE} (roadmap northgate-mlops)")

    standin.reset_traffic()
    code, out, err = push(run_cli, bank.first)
    assert code == 0, err
    assert standin.traffic.writes == 0
    assert "nothing to change" in out


def test_a_changed_plan_updates_only_what_changed(
    run_cli: RunCli, bank: BankPlans, standin: StandIn
) -> None:
    before, after = backlog_of(bank.first), backlog_of(bank.changed)
    assert [e.key for e in before.epics] != [] and {e.key for e in before.epics} == {
        e.key for e in after.epics
    }
    old = {e.key: epic_fields(before, e) for e in before.epics}
    moved = {e.key for e in after.epics if epic_fields(after, e) != old[e.key]}
    assert moved, "one data scientist fewer must move some dates"
    assert push(run_cli, bank.first)[0] == 0
    issues = len(standin.state.issues)

    # A dry run with credentials reads Jira and shows the real change set; writes nothing.
    standin.reset_traffic()
    code, out, _ = push(run_cli, bank.changed, "--dry-run")
    assert code == 0 and standin.traffic.writes == 0 and standin.traffic.total > 0
    assert f"Dry run against Jira, project MLOPS at {BASE}" in out and "would update epic" in out
    assert "It would update" in out

    standin.reset_traffic()
    code, out, err = push(run_cli, bank.changed)
    assert code == 0, err
    updated = {line.split()[2] for line in out.splitlines() if line.startswith("epic updated:")}
    assert updated == moved
    assert "created:" not in out and "marked obsolete" not in out and "story updated" not in out
    assert len(standin.state.issues) == issues
    versions = {(v.name, v.release_date) for v in before.versions}
    changed_versions = [v.name for v in after.versions if (v.name, v.release_date) not in versions]
    for name in changed_versions:
        assert f"version updated: {name}" in out
    for epic in after.epics:
        if epic.key in moved:
            [key] = standin.issues_with_label(epic_label(epic.key))
            assert standin.state.issues[key].fields["duedate"] == epic.due_date.isoformat()  # type: ignore[union-attr]

    standin.reset_traffic()
    assert push(run_cli, bank.changed)[0] == 0
    assert standin.traffic.writes == 0


def test_a_dry_run_without_any_credentials_sends_nothing(
    run_cli: RunCli, bank: BankPlans, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = StandIn(CLOUD)
    monkeypatch.setattr(push_module, "session_factory", fake.session)
    for name in ("JIRA_URL", "JIRA_USER", "JIRA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = run_cli(["push", str(bank.first), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert fake.traffic.total == 0
    backlog = backlog_of(bank.first)
    assert result.stdout.startswith("Dry run without Jira credentials (roadmap northgate-mlops)")
    assert "It would create 2 versions, create 18 epics" in result.stdout
    assert "compared with an empty project, so everything would be created" in result.stdout
    for epic in backlog.epics:
        assert f"would create epic: {epic.summary} [{epic.key}]\n" in result.stdout
    [(_, first_story)] = [pair for pair in backlog.stories()][:1]
    assert f"would create story: {first_story.summary} [{first_story.key}]\n" in result.stdout
    assert "would create version: MLOps level 2 — Automated Training" in result.stdout
    assert "would link:" in result.stdout

    # Without --dry-run, no credentials is a clear input error, and still no request.
    result = run_cli(["push", str(bank.first), "--url", BASE])
    assert result.exit_code == 1 and "JIRA_API_TOKEN: is missing" in result.stderr
    assert fake.traffic.total == 0


def test_a_refused_token_exits_4_with_the_message_and_no_traceback(
    run_cli: RunCli,
    bank: BankPlans,
    standin: StandIn,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("JIRA_API_TOKEN", SECRET + "-wrong")
    code, out, err = push(run_cli, bank.first)
    assert code == 4
    assert (
        "error: Jira at https://jira.example.test (from --url): the token was refused (HTTP 401)"
        in err
    )
    if standin.state.flavour.cloud:
        assert "check JIRA_USER (the account's email) and JIRA_API_TOKEN" in err
    else:  # a bearer token was sent: the user name has nothing to do with it
        assert "a personal access token" in err and "JIRA_USER" not in err
    assert "Nothing was changed in Jira." in err
    assert "Traceback" not in out + err
    assert SECRET not in out + err + caplog.text


def test_a_failure_half_way_says_what_was_done_and_the_rerun_finishes(
    run_cli: RunCli, bank: BankPlans, standin: StandIn
) -> None:
    standin.state.can_create = False
    code, _, err = push(run_cli, bank.first)
    assert code == 4
    assert "this account cannot create issues in MLOPS" in err
    assert "version created: MLOps level 2 — Automated Training" in err
    assert "Run the push again" in err
    standin.state.can_create = True
    assert push(run_cli, bank.first)[0] == 0
    assert len(standin.state.issues) == len(list(backlog_of(bank.first).stories())) + len(
        backlog_of(bank.first).epics
    )


def test_the_token_never_shows_in_output_logs_or_files(
    run_cli: RunCli,
    bank: BankPlans,
    standin: StandIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("JIRA_API_TOKEN")
    monkeypatch.delenv("JIRA_USER")
    credentials = tmp_path / "jira.env"
    credentials.write_text(
        f"JIRA_URL={BASE}\nJIRA_USER={standin.state.user or 'bot@example.test'}\n"
        f'JIRA_API_TOKEN="{SECRET}"\n',
        encoding="utf-8",
    )
    outputs: list[str] = []
    for args in (
        ["--dry-run"],
        [],
        [],
        ["--comment-obsolete"],
    ):
        result = run_cli(
            [
                "push",
                str(bank.first),
                "--project",
                "MLOPS",
                "--credentials",
                str(credentials),
                *args,
            ],
            cwd=tmp_path,
        )
        assert result.exit_code == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    standin.state.token = "rotated"  # the next push is refused: its message must not leak
    result = run_cli(
        ["push", str(bank.changed), "--url", BASE, "--credentials", str(credentials)], cwd=tmp_path
    )
    assert result.exit_code == 4
    outputs += [result.stdout, result.stderr, caplog.text]
    outputs += [r.getMessage() for r in caplog.records]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != credentials]
    outputs += [p.read_text(encoding="utf-8", errors="replace") for p in written]
    assert any(SECRET in header or "Basic" in header for header in standin.seen_auth)
    for text in outputs:
        assert SECRET not in text


def test_renamed_types_come_from_the_engagements_tracker_section(
    run_cli: RunCli, bank: BankPlans, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.jira_standin import ODD_SERVER

    standin = next(wired_standin(ODD_SERVER, monkeypatch, SECRET))
    data = yaml.safe_load((EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8"))
    data.pop("jira", None)
    data["tracker"] = {
        "kind": "jira",
        "url": BASE,
        "project": "MLOPS",
        "epic_type": "Feature",
        "story_type": "User Story",
    }
    engagement = tmp_path / "engagement.yaml"
    engagement.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_cli(["push", str(bank.first), "--engagement", str(engagement), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    # The same names as flags, which win over the file.
    data["tracker"]["story_type"] = "Story"
    engagement.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    flags = ["--engagement", str(engagement), "--story-type", "User Story"]
    result = run_cli(["push", str(bank.first), *flags])
    assert result.exit_code == 0, result.stderr
    assert "reads links reversed" in result.stdout
    backlog = backlog_of(bank.first)
    assert len(standin.state.issues) == len(backlog.epics) + len(list(backlog.stories()))
    keys = {e.key: standin.issues_with_label(epic_label(e.key))[0] for e in backlog.epics}
    assert standin.link_pairs() == {(keys[lk.blocker], keys[lk.blocked]) for lk in backlog.links}
