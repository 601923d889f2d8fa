"""Five impossible requests, each answered with what conflicts and what would help (exit 3)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from planner.cli import main
from tests.planning import tiny


def run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--engagement", str(path), "--time-limit", "3"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return int(exit_info.value.code or 0), captured.err


def with_team(**roles: int) -> dict[str, object]:
    data = tiny.engagement()
    team = copy.deepcopy(data["team"])
    assert isinstance(team, dict)
    for role, people in roles.items():
        team["roles"][role]["people"] = people
    data["team"] = team
    return data


CASES = {
    # with one more ML engineer, b and d run beside each other: day 15 (2027-01-22)
    "deadline needs one more person": (
        tiny.engagement(constraints={"deadline": date(2027, 1, 29)}),
        [
            "ML engineer capacity (1 in team.roles.mle)",
            "the deadline 2027-01-29",
            "+1 ML engineer",
            "reach level 2 on 2027-02-05 at the earliest",
        ],
    ),
    # the target needs 25 working days (see the worked examples): 2027-02-05 at the earliest
    "deadline too early": (
        tiny.engagement(constraints={"deadline": date(2027, 1, 20)}),
        [
            "the deadline 2027-01-20",
            "reach level 2 on 2027-02-05 at the earliest",
            "a smaller target: level 1 can be reached by 2027-01-08",
        ],
    ),
    "nobody in a needed role": (
        with_team(ds=0),
        [
            "Data scientist capacity (0 in team.roles.ds)",
            "1 more Data scientist (team.roles.ds): c, d cannot be staffed without",
        ],
    ),
    "budget too small": (
        tiny.engagement(constraints={"budget": 20000}),
        ["the budget 20,000 EUR", "a budget of at least 37,000 EUR"],
    ),
    "pin before its prerequisite can finish": (
        tiny.engagement(constraints={"capabilities": {"b": {"pin": {"start": date(2027, 1, 5)}}}}),
        ["b is pinned (constraints.capabilities.b.pin)", "pin it on 2027-01-11 or later"],
    ),
    "finish-by earlier than its chain allows": (
        tiny.engagement(constraints={"capabilities": {"d": {"finish_by": date(2027, 1, 12)}}}),
        ["d must finish by its finish_by date", "d can be finished by 2027-01-22 at the earliest"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_impossible_request_is_explained(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, expected = CASES[case]
    code, err = run(tiny.write(tmp_path, data), capsys)
    assert code == 3
    assert "no plan can meet this request" in err
    for phrase in expected:
        assert phrase in err, f"{case}: {phrase!r} missing from:\n{err}"
    assert "What would make it possible" in err
    assert not (tmp_path / "plan.json").exists()
