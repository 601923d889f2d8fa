"""``mlops-planner assess``: every answer saved at once, a stopped assessment goes on where it
stopped, only the questions the target needs, shares as percentages, the file's own line
endings, and a pointer to --answers when there is no terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from planner.catalog import Capability, Catalog
from planner.cli.commands import AssessmentStopped, assess_interactively, progress_file
from planner.cli.questions import parse_share
from planner.engagement import CapabilityState
from planner.errors import ExitCode
from tests.conftest import RunCli

ENGAGEMENT = """\
# Acme's engagement
name: Acme
current:
  level: 0

# the target
target:
  level: 1
team:
  start: 2027-01-04
  roles: {data-scientist: 1, data-engineer: 1, ml-engineer: 1, software-engineer: 1,
          platform-engineer: 1}
"""


def _engagement(folder: Path, text: str = ENGAGEMENT) -> Path:
    path = folder / "engagement.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_only_the_capabilities_the_target_needs_are_asked_unless_all(tmp_path: Path) -> None:
    path = _engagement(tmp_path)
    asked: list[tuple[Capability, str]] = []

    def skip(cap: Capability, known: CapabilityState | None, catalog: Catalog, at: str) -> None:
        asked.append((cap, at))

    assess_interactively(engagement=path, ask=skip)
    count = len(asked)
    assert 0 < count < 34
    assert [at for _, at in asked] == [f"{n}/{count}" for n in range(1, count + 1)]
    ids = {cap.id for cap, _ in asked}
    for cap, _ in asked:  # level 1, or a prerequisite of something asked
        assert cap.level <= 1 or any(cap.id in c.prerequisite_ids for c, _ in asked)
    assert all(p in ids for cap, _ in asked for p in cap.prerequisite_ids)
    asked.clear()
    assess_interactively(engagement=path, ask=skip, everything=True)
    assert asked[0][1] == "1/34" and len(asked) == 34


def test_a_stopped_assessment_keeps_every_answer_and_goes_on_where_it_stopped(
    tmp_path: Path,
) -> None:
    path = _engagement(tmp_path)
    asked: list[str] = []

    def answer_two_then_stop(
        cap: Capability, known: CapabilityState | None, catalog: Catalog, at: str
    ) -> CapabilityState:
        if len(asked) == 2:
            raise KeyboardInterrupt  # Ctrl-C (Ctrl-D arrives the same way)
        asked.append(cap.id)
        return CapabilityState.answered("partial", 0.4, "half built")

    with pytest.raises(AssessmentStopped) as stopped:
        assess_interactively(engagement=path, ask=answer_two_then_stop)
    assert stopped.value.exit_code == 130
    assert "stopped at question 3/" in stopped.value.message
    assert "2 answer(s) so far are saved in" in stopped.value.message
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))["current"]["capabilities"]
    assert set(saved) == set(asked) and saved[asked[0]]["remaining"] == 0.4
    assert progress_file(path).exists()

    again: list[str] = []

    def finish(
        cap: Capability, known: CapabilityState | None, catalog: Catalog, at: str
    ) -> CapabilityState:
        again.append(at)
        return CapabilityState.done()

    result = assess_interactively(engagement=path, ask=finish)
    assert again[0].startswith("3/") and result.resumed == 2
    assert not progress_file(path).exists()
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))["current"]["capabilities"]
    assert saved[asked[0]]["status"] == "partial" and len(saved) == 2 + len(again)


@pytest.mark.parametrize(
    ("typed", "share"),
    [
        ("40%", 0.4),
        ("0.4", 0.4),
        ("40", 0.4),
        (" 5 % ", 0.05),
        ("0,25", 0.25),
        ("1%", None),
        ("100%", None),
        ("lots", None),
    ],
)
def test_the_share_left_may_be_a_percentage(typed: str, share: float | None) -> None:
    assert parse_share(typed) == (pytest.approx(share) if share is not None else None)


def test_the_file_keeps_its_line_endings_and_gains_no_blank_lines(tmp_path: Path) -> None:
    path = _engagement(tmp_path, ENGAGEMENT.replace("\n", "\r\n"))

    def done(
        cap: Capability, known: CapabilityState | None, catalog: Catalog, at: str
    ) -> CapabilityState:
        return CapabilityState.done()

    assess_interactively(engagement=path, ask=done)
    first = path.read_bytes()
    assert b"\r\n" in first and b"\n" not in first.replace(b"\r\n", b"")
    assert b"\r\n\r\n# the target\r\ntarget:" in first and b"\r\n\r\n\r\n" not in first
    assess_interactively(engagement=path, ask=done)
    assert path.read_bytes() == first


def test_without_a_terminal_assess_points_to_answers(run_cli: RunCli, tmp_path: Path) -> None:
    _engagement(tmp_path)
    result = run_cli(["assess"], cwd=tmp_path)  # the tests' stdin is not a terminal
    assert result.exit_code == ExitCode.USAGE
    assert "Aborted" not in result.stderr + result.stdout
    assert "--answers answers.yaml" in result.stderr and "schema answers" in result.stderr


def test_the_answers_format_is_published_and_read(run_cli: RunCli, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(run_cli(["schema", "answers"], cwd=tmp_path).stdout)
    answers = {
        "capabilities": {
            "experiment-tracking": "done",
            "model-registry": {"status": "partial", "remaining": 0.4},
        }
    }
    jsonschema.validate(answers, schema)
    _engagement(tmp_path)
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    result = run_cli(["assess", "--answers", "answers.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK, result.stderr
    saved = yaml.safe_load((tmp_path / "engagement.yaml").read_text(encoding="utf-8"))
    assert saved["current"]["capabilities"]["model-registry"]["remaining"] == 0.4


def test_the_question_shows_its_place_and_takes_a_percentage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    from planner.cli.questions import ask_capability
    from planner.files.catalog_loader import read_catalog_files

    catalog = read_catalog_files(None, None, [])[0]
    typed = iter(["p", "150%", "40%", "half of it"])
    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: next(typed))
    state = ask_capability(catalog["experiment-tracking"], None, catalog, "12/34")
    assert state == CapabilityState("partial", 0.4, "half of it")
    assert "12/34 [Model Creation · level 2] Experiment tracking" in capsys.readouterr().out


def test_ctrl_c_or_ctrl_d_at_a_prompt_stops_the_assessment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import typer

    from planner.cli.questions import ask_capability
    from planner.files.catalog_loader import read_catalog_files

    catalog = read_catalog_files(None, None, [])[0]

    def stop(*args: object, **kwargs: object) -> str:
        raise typer.Abort()

    monkeypatch.setattr(typer, "prompt", stop)
    with pytest.raises(KeyboardInterrupt):
        ask_capability(catalog["experiment-tracking"], None, catalog, "1/34")
