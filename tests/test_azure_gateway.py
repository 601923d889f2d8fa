"""The Azure DevOps gateway against the stand-in: types found from the process, faults,
throttling, the token kept secret; and the stand-in's contract check catching bad requests."""

from __future__ import annotations

import base64
from datetime import date

import pytest

from integrations.azure_devops._http import LostResponse
from integrations.azure_devops.gateway import AzureBoardsGateway, connect
from integrations.azure_devops.settings import (
    AzureCredentials,
    AzureSettings,
    credentials_from_file,
    find_credentials,
)
from planner.errors import InputError, TrackerError
from tests.azure_devops_standin import AGILE, BASIC, CMMI, SCRUM, Fault, Process, StandIn
from tests.azure_devops_standin.contract import ContractChecker


def gateway(standin: StandIn, waits: list[float] | None = None) -> AzureBoardsGateway:
    sleep = waits.append if waits is not None else (lambda seconds: None)
    return connect(
        AzureSettings(standin.url, "MLOps"),
        AzureCredentials(standin.state.token),
        session=standin.session(),
        sleep=sleep,
    )


def title(text: str) -> list[dict[str, object]]:
    return [{"op": "add", "path": "/fields/System.Title", "value": text}]


@pytest.mark.parametrize(
    ("process", "requirement", "effort"),
    [
        (AGILE, "User Story", "Microsoft.VSTS.Scheduling.StoryPoints"),
        (SCRUM, "Product Backlog Item", "Microsoft.VSTS.Scheduling.Effort"),
        (BASIC, "Issue", "Microsoft.VSTS.Scheduling.Effort"),
        (CMMI, "Requirement", "Microsoft.VSTS.Scheduling.Size"),
    ],
)
def test_types_and_effort_fields_come_from_the_project(
    process: Process, requirement: str, effort: str
) -> None:
    standin = StandIn(process=process)
    project = gateway(standin).project
    assert project.process == process.name
    assert project.requirement.name == requirement
    assert project.requirement.effort_field == effort
    assert project.epic.name == "Epic"
    assert "Completed" in project.epic.states.values()
    assert standin.contract is not None and standin.contract.violations == []


def test_work_items_relations_wiql_and_iterations_round_trip() -> None:
    standin = StandIn()
    boards = gateway(standin)
    sprint = boards.create_iteration("Sprint 1", date(2026, 1, 5), date(2026, 1, 16))
    boards.add_team_iteration(sprint.identifier)
    epic = boards.create_item(
        "epic",
        [
            *title("Epic"),
            {"op": "add", "path": "/fields/System.Tags", "value": "road; mlops-cap-a"},
            {"op": "add", "path": "/fields/System.IterationPath", "value": sprint.path},
        ],
    )
    story = boards.create_item(
        "story",
        [
            *title("Story"),
            {
                "op": "add",
                "path": "/relations/-",
                "value": {
                    "rel": "System.LinkTypes.Hierarchy-Reverse",
                    "url": boards.item_url(epic.id),
                },
            },
        ],
    )
    assert story.parent == epic.id
    query = (
        "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project "
        "AND [System.Tags] CONTAINS 'MLOPS-CAP-A'"
    )
    assert boards.query_ids(query) == [epic.id]
    [read_epic, read_story] = boards.read_items([epic.id, story.id])
    assert read_story.parent == epic.id
    assert read_epic.iteration == "MLOps\\Sprint 1" and read_epic.tags == ("mlops-cap-a", "road")
    assert {(r.rel, r.target) for r in read_epic.relations} == {
        ("System.LinkTypes.Hierarchy-Forward", story.id)
    }
    assert [i.name for i in boards.iterations()] == ["Sprint 1"]
    assert boards.team_iterations() == {sprint.identifier}
    # A second parent is refused, as Boards does.
    other = boards.create_item("epic", title("Other"))
    second = {
        "op": "add",
        "path": "/relations/-",
        "value": {"rel": "System.LinkTypes.Hierarchy-Reverse", "url": boards.item_url(other.id)},
    }
    with pytest.raises(TrackerError, match="only one Parent"):
        boards.update_item(story.id, [second])
    assert standin.contract is not None and standin.contract.violations == []


def test_throttling_is_waited_out_with_retry_after_then_the_rate_limit_delay() -> None:
    standin = StandIn()
    waits: list[float] = []
    boards = gateway(standin, waits)
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="429", repeat=2)]
    boards.create_item("epic", title("E"))
    assert waits == [2.0, 2.0]
    waits.clear()
    # A successful answer that asks to slow down: the next request waits first.
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="slowdown")]
    boards.create_item("epic", title("F"))
    assert waits == []
    boards.query_ids("SELECT [System.Id] FROM WorkItems")
    assert waits == [2.0]
    waits.clear()
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="429-bare", repeat=2)]
    boards.query_ids("SELECT [System.Id] FROM WorkItems")
    assert waits == [1.0, 2.0]  # exponential backoff without a header


def test_retries_are_bounded() -> None:
    standin = StandIn()
    boards = gateway(standin)
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="429", repeat=100)]
    with pytest.raises(TrackerError, match="HTTP 429"):
        boards.query_ids("SELECT [System.Id] FROM WorkItems")
    assert standin.traffic.total < 20


@pytest.mark.parametrize("kind", ["drop-after", "timeout-after", "500-after"])
def test_a_lost_answer_to_a_write_is_reported_not_repeated(kind: str) -> None:
    standin = StandIn()
    boards = gateway(standin)
    standin.faults = [Fault(at=standin.traffic.total + 1, kind=kind)]
    with pytest.raises(LostResponse):
        boards.create_item("epic", title("E"))
    assert len(standin.state.items) == 1  # done once, not repeated


def test_reads_are_retried_after_a_dropped_connection() -> None:
    standin = StandIn()
    boards = gateway(standin)
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="drop-before", repeat=2)]
    assert boards.query_ids("SELECT [System.Id] FROM WorkItems") == []


def test_a_refused_token_is_explained_and_never_shown() -> None:
    standin = StandIn()
    token = "s3cr3t-pat-value"
    with pytest.raises(TrackerError) as raised:
        connect(
            AzureSettings(standin.url, "MLOps"),
            AzureCredentials(token),
            session=standin.session(),
            sleep=lambda seconds: None,
        )
    message = raised.value.message
    assert "HTTP 401" in message and "Work Items: Read & write" in message
    assert token not in message
    assert base64.b64encode(f":{token}".encode()).decode() not in message
    assert token not in repr(AzureCredentials(token))


def test_an_unknown_project_is_named() -> None:
    standin = StandIn()
    with pytest.raises(TrackerError, match="Nope"):
        connect(
            AzureSettings(standin.url, "Nope"),
            AzureCredentials(standin.state.token),
            session=standin.session(),
        )


def test_credentials_from_the_environment_or_a_file(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    assert find_credentials(environ={}) is None
    found = find_credentials(environ={"AZURE_DEVOPS_EXT_PAT": "tok"})
    assert found is not None and found.token == "tok" and found.url is None
    path = tmp_path / "azure.env"
    path.write_text(
        "# mine\nAZURE_DEVOPS_ORG_URL=https://dev.azure.com/acme\nAZURE_DEVOPS_EXT_PAT='x1'\n"
    )
    from_file = credentials_from_file(path)
    assert (from_file.token, from_file.url) == ("x1", "https://dev.azure.com/acme")
    path.write_text("AZURE_DEVOPS_EXT_PAT tok-without-equals\n")
    with pytest.raises(InputError) as raised:
        credentials_from_file(path)
    assert "tok-without-equals" not in str(raised.value)
    with pytest.raises(InputError, match="organization"):
        AzureSettings("https://dev.azure.com/", "MLOps")
    with pytest.raises(InputError, match="https"):
        AzureSettings("http://dev.azure.com/acme", "MLOps")


def test_the_contract_check_catches_what_microsoft_would_refuse() -> None:
    checker = ContractChecker()
    url = "https://dev.azure.com/fabrikam/MLOps/_apis/wit/workitems/$Epic"
    checker.check_request(
        "POST", url + "?api-version=7.1", {"Content-Type": "application/json-patch+json"},
        [{"op": "add", "path": "/fields/System.Title", "value": "fine"}],
    )  # fmt: skip
    assert checker.violations == []
    checker.check_request(
        "POST", url + "?api-version=7.0&expand=all", {"Content-Type": "application/json"},
        [{"op": "upsert", "path": "/fields/System.Title"}],
    )  # fmt: skip
    text = "\n".join(checker.violations)
    assert "unknown query parameter 'expand'" in text
    assert "api-version must be 7.1" in text
    assert "Content-Type" in text and "'upsert' is not one of" in text
    checker.violations.clear()
    checker.check_request("GET", "https://dev.azure.com/fabrikam/_apis/nothing", {}, None)
    assert checker.violations and "no such operation" in checker.violations[0]
