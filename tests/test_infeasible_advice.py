"""Advice for impossible requests that can be followed: a team change that leaves a role
empty is named as the cause; dates the dependency chain alone cannot meet are said so, with
the date it allows, grouped, in dates (never working-day numbers)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from planner.errors import ExitCode
from tests.conftest import EXAMPLES, RunCli


def _bank(folder: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load((EXAMPLES / "bank-level1-to-3.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = folder / "engagement.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _no_day_numbers(message: str) -> None:
    assert not re.search(r"\b(at|by|on|from) -?\d+\b(?![-.])", message), message


def test_a_team_change_that_empties_a_role_is_named_as_the_cause(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def everybody_leaves(data: dict[str, Any]) -> None:
        data["team"]["roles"]["ml-engineer"]["people"] = 3
        data["team"]["changes"] = [
            {
                "role": "ml-engineer",
                "change": -3,
                "from": dt.date(2027, 4, 5),
                "note": "the ML engineers leave",
            }
        ]

    _bank(tmp_path, everybody_leaves)
    result = run_cli(["plan", "--time-limit", "5"], cwd=tmp_path)
    assert result.exit_code == ExitCode.INFEASIBLE, result.stderr
    message = result.stderr
    assert "team.changes[0] (the ML engineers leave) leaves no ML engineer from 2027-04-05" in (
        message
    )
    assert "Give the change an end (until: a date)" in message
    assert "changed by team.changes[0]" in message
    # the headcount at the start is not the cause: no "+1 ML engineer" from the start
    assert "more people from the start" not in message and "+1 ML engineer" not in message
    _no_day_numbers(message)


def test_a_date_no_number_of_people_can_meet_is_said_so_once_with_the_chain_date(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _bank(tmp_path, lambda data: data["constraints"].update(deadline=dt.date(2027, 4, 30)))
    result = run_cli(["plan", "--time-limit", "5"], cwd=tmp_path)
    assert result.exit_code == ExitCode.INFEASIBLE, result.stderr
    message = result.stderr
    lines = [line for line in message.splitlines() if "cannot be finished by 2027-04-30" in line]
    assert len(lines) == 1, message  # grouped: one line for the date, not one per capability
    assert (
        "even with unlimited people, 6 capabilities cannot be finished by 2027-04-30" in (lines[0])
    )
    assert re.search(r"alone take until 2027-\d\d-\d\d", lines[0])
    _no_day_numbers(message)


def test_a_window_too_short_for_a_capability_is_said_in_dates(
    run_cli: RunCli, tmp_path: Path
) -> None:
    window = {"not_before": dt.date(2027, 5, 3), "finish_by": dt.date(2027, 5, 5)}
    _bank(
        tmp_path,
        lambda data: data["constraints"].update(capabilities={"managed-compute": window}),
    )
    result = run_cli(["plan", "--time-limit", "5"], cwd=tmp_path)
    assert result.exit_code == ExitCode.INFEASIBLE, result.stderr
    assert "cannot be finished by 2027-05-05" in result.stderr
    _no_day_numbers(result.stderr)
