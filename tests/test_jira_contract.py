"""The contract check is live, and the integration keeps its heavy imports lazy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from integrations.tracker import sync_backlog
from tests.jira_standin import CLOUD, StandIn
from tests.jira_standin.contract import PLATFORM, ContractChecker
from tests.jira_standin.helpers import gateway_for, make_backlog

URL = "https://jira.example.test/rest/api/2"


def test_the_contract_files_are_read_where_they_are_kept() -> None:
    assert PLATFORM.is_file()
    assert "rest" not in str(PLATFORM.relative_to(PLATFORM.parents[3]))


def test_a_request_against_the_contract_is_caught() -> None:
    checker = ContractChecker()
    body = json.dumps({"type": {"name": "Blocks"}, "inwardIssue": {"key": "A-1"}}).encode()
    checker.check("POST", f"{URL}/issueLink", {"Content-Type": "application/json"}, body, 201, None)
    assert checker.violations and "outwardIssue" in checker.violations[0]


def test_an_answer_against_the_contract_is_caught() -> None:
    checker = ContractChecker()
    answer = json.dumps({"issues": "not a list", "isLast": True}).encode()
    checker.check("GET", f"{URL}/search/jql?jql=project%3DX", {}, None, 200, answer)
    assert checker.violations and checker.violations[0].startswith(
        "response GET /rest/api/3/search/jql"
    )


def test_an_endpoint_that_does_not_exist_is_caught() -> None:
    checker = ContractChecker()
    checker.check("GET", f"{URL}/issue/createmeta/X/nonsense", {}, None, 200, b"{}")
    assert checker.violations


def test_progress_is_reported_as_the_push_goes() -> None:
    standin = StandIn(CLOUD)
    seen: list[tuple[int, int, str]] = []
    sync_backlog(gateway_for(standin), make_backlog(epics=3), on_progress=lambda *a: seen.append(a))
    assert [done for done, _, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1][0] == seen[-1][1]
    assert standin.contract is not None and standin.contract.violations == []


def test_importing_the_integration_does_not_import_jira_or_typer() -> None:
    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys, integrations.jira, planner.backlog; "
        "print(sorted(m for m in ('jira', 'typer') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
