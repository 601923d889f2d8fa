"""The command line: exit codes, a light --help, init, assess, schema and the examples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from planner.catalog import Capability, Catalog
from planner.cli.commands import assess_interactively, example_engagement_text
from planner.engagement import CapabilityState
from planner.errors import ExitCode
from planner.files.engagement_loader import open_workspace
from tests.conftest import EXAMPLES, REPO_ROOT, RunCli


def test_help_imports_neither_ortools_nor_jira() -> None:
    probe = (
        "import sys\n"
        "from planner.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as stop:\n    code = stop.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('ortools', 'jira', 'pydantic', 'yaml', 'jinja2'))\n"
        "print('HEAVY', code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "HEAVY 0 []"


def test_help_import_time_has_no_heavy_module() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planner", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in {"ortools", "jira"}}
    assert "Commands:" in done.stdout


def test_exit_codes_ok_usage_and_bad_input(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli(["--help"], cwd=tmp_path).exit_code == ExitCode.OK
    assert run_cli(["no-such-command"], cwd=tmp_path).exit_code == ExitCode.USAGE
    assert run_cli(["gap", "--target", "high"], cwd=tmp_path).exit_code == ExitCode.USAGE
    assert run_cli(["schema", "nosuch"], cwd=tmp_path).exit_code == ExitCode.USAGE
    (tmp_path / "engagement.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    assert run_cli(["gap"], cwd=tmp_path).exit_code == ExitCode.BAD_INPUT


def test_init_writes_an_example_that_runs_as_it_is(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["init"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    written = tmp_path / "engagement.yaml"
    assert written.read_text(encoding="utf-8") == example_engagement_text()
    gap = run_cli(["gap", "--json"], cwd=tmp_path)
    assert gap.exit_code == ExitCode.OK, gap.stderr
    document = json.loads(gap.stdout)
    # the example: level 0 -> 2, automated-builds done, so it is not in the gap
    assert document["target"]["overall"] == 2
    assert document["items"] and "automated-builds" not in [i["id"] for i in document["items"]]


def test_init_refuses_to_overwrite_without_force(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "engagement.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = run_cli(["init"], cwd=tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "exists already; pass --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert run_cli(["init", "--force"], cwd=tmp_path).exit_code == ExitCode.OK
    assert target.read_text(encoding="utf-8") == example_engagement_text()


def test_schema_prints_schemas_the_example_and_catalog_validate_against(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli(["schema"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    schemas = json.loads(result.stdout)
    assert set(schemas) == {"catalog", "overlay", "engagement", "answers", "plan"}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)

    def as_json(text: str) -> object:
        # what an editor sees: dates are strings and the catalog's level keys too
        return json.loads(json.dumps(yaml.safe_load(text), default=str))

    jsonschema.validate(as_json(example_engagement_text()), schemas["engagement"])
    catalog_text = (REPO_ROOT / "catalog" / "mlops-maturity.yaml").read_text("utf-8")
    jsonschema.validate(as_json(catalog_text), schemas["catalog"])
    for name in ("bank-level1-to-3.yaml", "retailer-level2-to-4.yaml"):
        jsonschema.validate(as_json((EXAMPLES / name).read_text("utf-8")), schemas["engagement"])
    overlay = (EXAMPLES / "retailer-overlay.yaml").read_text("utf-8")
    jsonschema.validate(as_json(overlay), schemas["overlay"])
    # team.changes uses the aliases from/until, and the schema says so
    change = schemas["engagement"]["$defs"]["TeamChangeEntry"]["properties"]
    assert {"from", "until"} <= set(change)
    single = json.loads(run_cli(["schema", "engagement"], cwd=tmp_path).stdout)
    assert single == schemas["engagement"]


ENGAGEMENT = """\
# Acme's engagement; this comment must survive.
name: Acme   # trailing comment
current:
  level: 0   # will be rewritten
  capabilities:
    automated-builds: done

# The target, with a comment above it.
target:
  level: 1
team:
  start: 2027-01-04
  roles: {data-scientist: 1, data-engineer: 1, ml-engineer: 1, software-engineer: 1,
          platform-engineer: 1}
"""


def test_assess_from_answers_rewrites_only_the_current_section(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    (tmp_path / "answers.yaml").write_text(
        "capabilities:\n"
        "  team-working-agreements: done\n"
        "  application-unit-tests:\n    status: partial\n    remaining: 0.25\n"
        "    evidence: half the services\n",
        encoding="utf-8",
    )
    result = run_cli(["assess", "--answers", "answers.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK, result.stderr
    text = (tmp_path / "engagement.yaml").read_text(encoding="utf-8")
    before, after = ENGAGEMENT.split("current:")[0], ENGAGEMENT.split("\n\n# The target")[1]
    assert text.startswith(before)
    assert text.endswith("\n\n# The target" + after)
    current = yaml.safe_load(text)["current"]
    # catalog order: team-working-agreements, automated-builds, application-unit-tests
    assert current == {
        "level": 0,
        "capabilities": {
            "team-working-agreements": "done",
            "automated-builds": "done",
            "application-unit-tests": {
                "status": "partial",
                "remaining": 0.25,
                "evidence": "half the services",
            },
        },
    }


def test_assess_with_bad_answers_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    (tmp_path / "answers.yaml").write_text("capabilities:\n  nosuch: done\n", encoding="utf-8")
    result = run_cli(["assess", "--answers", "answers.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "answers.yaml:2: capabilities.nosuch: unknown capability 'nosuch'" in result.stderr
    assert (tmp_path / "engagement.yaml").read_text(encoding="utf-8") == ENGAGEMENT


def test_assess_reports_where_stated_levels_and_answers_disagree(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    (tmp_path / "answers.yaml").write_text(
        "level: 1\ncapabilities:\n  automated-builds: missing\n", encoding="utf-8"
    )
    result = run_cli(["assess", "--answers", "answers.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    assert (
        "note: current.level says Application Integration is at level 1, but the answers put "
        "it at level 0: not done: automated-builds (level 1, missing)" in result.stderr
    )


def test_interactive_assess_takes_an_injected_ask(tmp_path: Path) -> None:
    path = tmp_path / "engagement.yaml"
    path.write_text(ENGAGEMENT, encoding="utf-8")
    asked: list[str] = []

    def ask(
        cap: Capability, known: CapabilityState | None, catalog: Catalog, position: str
    ) -> CapabilityState | None:
        asked.append(cap.id)
        assert position == f"{len(asked)}/34"
        if cap.id == "automated-builds":
            assert known is not None and known.status == "done"
            return None  # skip: keep the known answer
        if cap.level == 1:
            return CapabilityState.done("seen in the demo")
        return None

    result = assess_interactively(engagement=path, ask=ask, everything=True)
    assert len(asked) == 34  # one question per capability of the built-in catalog
    assert result.answered == 7  # the 8 level-1 capabilities but automated-builds
    assert result.assessment.overall_level == 1
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Acme's engagement; this comment must survive.\nname: Acme   #")
    assert "# The target, with a comment above it.\ntarget:\n" in text
    assert yaml.safe_load(text)["current"]["capabilities"]["automated-builds"] == "done"


# ------------------------------------------------------------------ the examples

EXAMPLE_FILES = ["startup-level0-to-2.yaml", "bank-level1-to-3.yaml", "retailer-level2-to-4.yaml"]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_each_example_loads_has_a_gap_and_staffs_every_role_it_needs(
    name: str, tmp_path: Path
) -> None:
    for file in EXAMPLES.glob("*.yaml"):
        shutil.copy(file, tmp_path / file.name)
    workspace = open_workspace(tmp_path / name)
    assert len(workspace.gap) > 0
    assert not [w for w in workspace.warnings if w.severity == "error"]
    team = workspace.engagement.team
    needed = {
        role for item in workspace.gap.items for o in item.capability.effort for role in o.people
    }
    unstaffed = sorted(r for r in needed if team.roles.get(r) is None or team.roles[r].people < 1)
    assert unstaffed == []
    deadline = workspace.engagement.constraints.deadline
    assert deadline is not None and (deadline - team.start).days >= 300


def test_the_examples_say_what_they_promise(tmp_path: Path) -> None:
    for file in EXAMPLES.glob("*.yaml"):
        shutil.copy(file, tmp_path / file.name)
    startup = open_workspace(tmp_path / "startup-level0-to-2.yaml")
    assert (startup.gap.current_overall, startup.gap.target_overall) == (0, 2)
    bank = open_workspace(tmp_path / "bank-level1-to-3.yaml")
    assert (bank.gap.current_overall, bank.gap.target_overall) == (1, 3)
    assert [i.id for i in bank.gap.items if i.status == "partial"]
    assert all(s.evidence for s in bank.engagement.current.capabilities.values())
    changes = bank.engagement.team.changes
    assert any(c.change > 0 and c.end is None for c in changes)  # someone joins
    assert any(c.change < 0 and c.end is not None for c in changes)  # a holiday
    assert all(r.day_rate > 0 for r in bank.engagement.team.roles.values())
    retailer = open_workspace(tmp_path / "retailer-level2-to-4.yaml")
    assert (retailer.gap.current_overall, retailer.gap.target_overall) == (2, 4)
    assert "feature-store" in retailer.gap.ids
    assert "zero-downtime-rollout" not in retailer.catalog
    assert retailer.catalog["automated-model-training"].effort[0].weeks == 3
    assert retailer.catalog.origin("feature-store").source.endswith("retailer-overlay.yaml")
