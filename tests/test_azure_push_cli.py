"""``push`` and ``replan --from-tracker`` with an Azure DevOps tracker, end to end through
the CLI against the stand-in: the engagement's ``tracker:`` section, the token from the
environment, progress read back, a re-plan pushed again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from planner.backlog import epic_label, story_label
from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import read_plan, write_plan
from planner.scheduling.planning import make_plan
from tests.azure_devops_standin import StandIn
from tests.azure_devops_standin.wiring import wired_standin
from tests.conftest import EXAMPLES, RunCli

SECRET = "SECRET-azure-pat-DO-NOT-LEAK"


@dataclass(frozen=True)
class Startup:
    engagement: Path
    plan: Path


@pytest.fixture(scope="module")
def startup(tmp_path_factory: pytest.TempPathFactory) -> Startup:
    folder = tmp_path_factory.mktemp("startup")
    data = yaml.safe_load((EXAMPLES / "startup-level0-to-2.yaml").read_text(encoding="utf-8"))
    data.pop("jira", None)
    data["tracker"] = {"kind": "azure-devops", "project": "MLOps", "team": "MLOps Team"}
    engagement = folder / "startup.yaml"
    engagement.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan = folder / "plan.json"
    write_plan(make_plan(open_workspace(engagement), time_limit=3.0, workers=1), plan)
    return Startup(engagement, plan)


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    yield from wired_standin(monkeypatch, SECRET, predecessor_end="forward")


def epic_id(standin: StandIn, capability: str) -> int:
    [found] = standin.items_tagged(epic_label(capability))
    return found


def test_push_replan_from_tracker_and_push_again(
    run_cli: RunCli, startup: Startup, standin: StandIn, tmp_path: Path
) -> None:
    previous = read_plan(startup.plan)
    push = ["push", str(startup.plan), "--engagement", str(startup.engagement)]
    result = run_cli(push)
    assert result.exit_code == 0, result.stderr
    assert "pushed to Azure DevOps, project MLOps" in result.stdout
    assert "reads links reversed" in result.stdout  # the organization names the ends the other way
    assert SECRET not in result.stdout + result.stderr
    ids = {item.id: epic_id(standin, item.id) for item in previous.items}
    count = len(previous.items) + sum(len(i.stories) for i in previous.items)
    assert len(standin.state.items) == count

    # Some weeks in: what the plan had finished is Closed, one started item is Active with
    # one story Closed; one item was Removed (dropped, not achieved).
    today = previous.items[0].end
    finished = [i for i in previous.items if i.end < today or i is previous.items[0]]
    going = [i for i in previous.items if i.start < today < i.end and len(i.stories) >= 2]
    later = [i for i in previous.items if i.start > today]
    assert finished and going and later
    for item in finished:
        standin.state.set_state(ids[item.id], "Closed")
    busy = going[0]
    standin.state.set_state(ids[busy.id], "Active")
    [story] = standin.items_tagged(story_label(f"{busy.id}/{busy.stories[0].id or 1}"))
    standin.state.set_state(story, "Closed")
    dropped = later[-1]
    standin.state.set_state(ids[dropped.id], "Removed")

    result = run_cli(
        [
            "replan", str(startup.plan), "--engagement", str(startup.engagement),
            "--from-tracker", "--today", today.isoformat(), "--out", "new.json",
            "--time-limit", "3",
        ],
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert f"progress read from Azure DevOps (Agile process): {len(finished)} done" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    new = read_plan(tmp_path / "new.json")
    for item in finished:
        assert new.item(item.id).state == "done"
    assert new.item(busy.id).state == "in-progress"

    closed_before = {ids[i.id]: dict(standin.state.items[ids[i.id]].fields) for i in finished}
    result = run_cli(["push", str(tmp_path / "new.json"), "--engagement", str(startup.engagement)])
    assert result.exit_code == 0, result.stderr
    assert "epic created" not in result.stdout and "story created" not in result.stdout
    assert len(standin.state.items) == count
    for item_id, fields in closed_before.items():  # Completed work is never rewritten
        assert standin.state.items[item_id].fields == fields
    standin.reset_traffic()
    again = run_cli(["push", str(tmp_path / "new.json"), "--engagement", str(startup.engagement)])
    assert again.exit_code == 0, again.stderr
    assert standin.traffic.writes == 0


def test_a_dry_run_without_a_token_sends_nothing(
    run_cli: RunCli, startup: Startup, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin = StandIn()
    from integrations.azure_devops import push as push_module

    monkeypatch.setattr(push_module, "session_factory", standin.session)
    monkeypatch.delenv("AZURE_DEVOPS_EXT_PAT", raising=False)
    result = run_cli(["push", str(startup.plan), "--tracker", "azure-devops", "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "Dry run without an Azure DevOps token" in result.stdout
    assert "would create epic" in result.stdout
    assert standin.traffic.total == 0
    result = run_cli(["push", str(startup.plan), "--tracker", "azure-devops"])
    assert result.exit_code != 0
    assert "AZURE_DEVOPS_EXT_PAT" in result.stdout + result.stderr


def test_a_refused_token_exits_4_without_showing_it(
    run_cli: RunCli, startup: Startup, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_DEVOPS_EXT_PAT", "wrong-" + SECRET)
    result = run_cli(["push", str(startup.plan), "--engagement", str(startup.engagement)])
    assert result.exit_code == 4
    assert "Work Items: Read & write" in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
