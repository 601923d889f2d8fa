"""Every broken input gets its own clear message: the file, the place (line and dotted path
where there is one), what is wrong and how to fix it; exit code 1, never a traceback.

Each case is one file under ``tests/broken/`` whose first line says what is wrong with it.
Engagement files are read by ``gap``, catalogs by ``catalog validate FILE`` and overlays by
``catalog validate --overlay FILE`` (on the built-in catalog).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.cli.commands import json_schema
from planner.errors import ExitCode, InputError
from planner.files.engagement_loader import load_engagement
from tests.conftest import BROKEN, EXAMPLES, RunCli
from tests.limited import run_limited

# file -> (expected "file:line: place" start, then fragments that must all be in the message)
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "engagement-malformed-yaml.yaml": (
        "engagement-malformed-yaml.yaml:6: ",
        ("not valid YAML", "expected ',' or '}'", "fix the syntax"),
    ),
    "engagement-wrong-type.yaml": (
        "engagement-wrong-type.yaml:7: team.sprint_weeks: ",
        ("must be a whole number, got 'two'",),
    ),
    "engagement-unknown-key.yaml": (
        "engagement-unknown-key.yaml:7: team.sprint_length: ",
        ("unknown key 'sprint_length'", "allowed keys here:", "sprint_weeks"),
    ),
    "engagement-unknown-role.yaml": (
        "engagement-unknown-role.yaml:13: team.roles.data-wizard: ",
        ("unknown role 'data-wizard'", "the catalog's roles are:", "ml-engineer"),
    ),
    "engagement-python-object.yaml": (
        "engagement-python-object.yaml:2: ",
        ("!!python/object/apply:os.system is not allowed", "remove the tag"),
    ),
    "engagement-empty.yaml": (
        "engagement-empty.yaml: ",
        ("the file is empty", "it should hold an engagement"),
    ),
    "engagement-wrong-level.yaml": (
        "engagement-wrong-level.yaml:4: target.level: ",
        ("level 7 does not exist", "levels run 0 to 4"),
    ),
    "engagement-negative-people.yaml": (
        "engagement-negative-people.yaml:10: team.roles.ml-engineer: ",
        ("must be a whole number >= 0, got -1",),
    ),
    "engagement-duplicate-key.yaml": (
        "engagement-duplicate-key.yaml:13: target: ",
        ("appears twice", "keep only one"),
    ),
    "engagement-exclude-needed.yaml": (
        "engagement-exclude-needed.yaml:5: target.exclude[0]: ",
        ("'managed-compute' is excluded", "experiment-tracking", "keep 'managed-compute'"),
    ),
    "engagement-change-ends-before-start.yaml": (
        "engagement-change-ends-before-start.yaml:17: team.changes[0].until: ",
        ("ends (2027-08-02) before it starts (2027-08-20)", "swap the dates"),
    ),
    "engagement-unknown-capability.yaml": (
        "engagement-unknown-capability.yaml:5: current.capabilities.experiment-tracker: ",
        ("unknown capability 'experiment-tracker'", "did you mean experiment-tracking?"),
    ),
    "engagement-alias-bomb.yaml": (
        "engagement-alias-bomb.yaml:2: ",
        ("aliases (*name)", "expand to more than 100,000 values", "write the values out"),
    ),
    "engagement-impossible-date.yaml": (
        "engagement-impossible-date.yaml:6: team.start: ",
        ("2027-02-30 is not a date: February 2027 has 28 days",),
    ),
    "engagement-target-below-current.yaml": (
        "engagement-target-below-current.yaml:6: target.level: ",
        ("the target, level 1, is below the current level 2", "nothing to plan"),
    ),
    "engagement-person-unknown-role.yaml": (
        "engagement-person-unknown-role.yaml:9: team.people[0].roles[1]: ",
        ("unknown role 'data-wizard' for Ana", "the catalog's roles are:", "ml-engineer"),
    ),
    "engagement-person-duplicate-name.yaml": (
        "engagement-person-duplicate-name.yaml:10: team.people[1].name: ",
        ("duplicate name 'Ana' (also team.people[0])", "give each person a distinct name"),
    ),
    "engagement-person-efficiency.yaml": (
        "engagement-person-efficiency.yaml:10: team.people[0].efficiency.platform-engineer: ",
        ("must be a number <= 1, got 1.5",),
    ),
    "engagement-person-change-unknown.yaml": (
        "engagement-person-change-unknown.yaml:11: team.changes[0].person: ",
        ("'Anna' is not in team.people (Ana)", "fix the name or add the person"),
    ),
    "catalog-duplicate-id.yaml": (
        "catalog-duplicate-id.yaml:11: capabilities[2] (build).id: ",
        ("duplicate capability id 'build'", "must be unique"),
    ),
    "catalog-unknown-prerequisite.yaml": (
        "catalog-unknown-prerequisite.yaml:10: capabilities[1] (test).requires[0]: ",
        ("unknown prerequisite 'biuld'", "fix the id or drop the requirement"),
    ),
    "catalog-cycle.yaml": (
        "catalog-cycle.yaml:9: capabilities[0] (alpha).requires: ",
        ("dependency cycle alpha -> beta -> gamma -> alpha", "remove one of these"),
    ),
    "catalog-negative-duration.yaml": (
        "catalog-negative-duration.yaml:9: capabilities[0].effort[0].weeks: ",
        ("must be a number > 0, got -2",),
    ),
    "catalog-unknown-role.yaml": (
        "catalog-unknown-role.yaml:9: capabilities[0] (build).effort[0].people.tester: ",
        ("unknown role 'tester'", "declare it under roles:", "dev"),
    ),
    "catalog-wrong-level.yaml": (
        "catalog-wrong-level.yaml:9: capabilities[0] (build).level: ",
        ("unknown level 3", "use one of: 0, 1"),
    ),
    "overlay-removes-needed-prerequisite.yaml": (
        "overlay-removes-needed-prerequisite.yaml:4: remove[0]: ",
        (
            "cannot remove 'managed-compute'",
            "experiment-tracking, automated-model-training, staged-environments require it",
            "or keep 'managed-compute'",
        ),
    ),
}


def command_for(name: str) -> list[str]:
    if name.startswith("engagement-"):
        return ["gap", "--engagement", name]
    if name.startswith("catalog-"):
        return ["catalog", "validate", name]
    return ["catalog", "validate", "--overlay", name]


def test_every_broken_file_has_a_case_and_says_what_is_wrong() -> None:
    files = sorted(p.name for p in BROKEN.glob("*.yaml"))
    assert files == sorted(CASES)
    assert len(files) >= 12
    for path in BROKEN.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text == "" or text.startswith("# Broken on purpose: "), path.name


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_gets_its_own_clear_message(
    name: str, run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(BROKEN / name, tmp_path / name)
    # under limits of time and memory: a hostile file that slips through fails, not hangs
    code, said = run_limited(command_for(name), tmp_path)
    start, fragments = CASES[name]
    assert code == ExitCode.BAD_INPUT, said
    assert "Traceback" not in said
    first = said.splitlines()[0]
    assert first.startswith("error: "), said
    # the overlay case blames the overlay file, not the built-in catalog it changes
    assert first.removeprefix("error: ").startswith(start), said
    for fragment in fragments:
        assert fragment in said
    assert "nothing was written." in said


def test_messages_differ_from_case_to_case(run_cli: RunCli, tmp_path: Path) -> None:
    firsts: set[str] = set()
    for name in CASES:
        shutil.copy(BROKEN / name, tmp_path / name)
        said = run_limited(command_for(name), tmp_path)[1]
        firsts.add(said.split(": ", 1)[1].split("\n")[0])
    assert len(firsts) == len(CASES)


def test_a_python_tag_builds_nothing_and_runs_no_command(run_cli: RunCli, tmp_path: Path) -> None:
    # the file's name: field would run `echo pwned > python-object-ran.txt` under an unsafe loader
    name = "engagement-python-object.yaml"
    shutil.copy(BROKEN / name, tmp_path / name)
    result = run_cli(["gap", "--engagement", name], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert not (tmp_path / "python-object-ran.txt").exists()
    with pytest.raises(InputError):
        load_engagement(tmp_path / name)
    assert not (tmp_path / "python-object-ran.txt").exists()


def test_a_python_tag_in_a_nested_value_builds_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    path = tmp_path / "engagement.yaml"
    path.write_text(
        "name: x\nteam:\n  start: 2027-01-04\n  roles:\n"
        f"    ml-engineer: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_engagement(path)
    assert caught.value.problems[0].line == 5
    assert not marker.exists()


def test_schema_problems_come_first_and_all_at_once(run_cli: RunCli, tmp_path: Path) -> None:
    # three schema problems (bad type, unknown key, negative people) and one meaning problem
    # (unknown role): the schema ones are all reported together, the meaning one waits
    (tmp_path / "engagement.yaml").write_text(
        "name: Many Problems Co\n"  # 1
        "target:\n"  # 2
        "  level: high\n"  # 3
        "team:\n"  # 4
        "  start: 2027-01-04\n"  # 5
        "  colour: blue\n"  # 6
        "  roles:\n"  # 7
        "    ml-engineer: -1\n"  # 8
        "    data-wizard: 1\n",  # 9
        encoding="utf-8",
    )
    result = run_cli(["gap"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert lines == [
        "error: engagement.yaml:3: target.level: must be a whole number, got 'high'",
        "error: engagement.yaml:6: team.colour: unknown key 'colour'; allowed keys here: "
        "start, sprint_weeks, focus_factor, currency, roles, people, changes",
        "error: engagement.yaml:8: team.roles.ml-engineer: must be a whole number >= 0, got -1",
    ]
    assert "3 problems found; nothing was written." in result.stderr


def test_meaning_problems_are_all_reported_at_once(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "engagement.yaml").write_text(
        "name: Meaning Co\n"
        "current:\n  areas: {marketing: 1}\n"
        "target:\n  level: 6\n  include: [nosuch]\n"
        "team:\n  start: 2027-01-04\n  roles: {data-wizard: 1}\n",
        encoding="utf-8",
    )
    result = run_cli(["gap"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "engagement.yaml:3: current.areas.marketing: unknown area 'marketing'" in result.stderr
    assert "engagement.yaml:5: target.level: level 6 does not exist" in result.stderr
    assert "engagement.yaml:6: target.include[0]: unknown capability 'nosuch'" in result.stderr
    assert "engagement.yaml:9: team.roles.data-wizard: unknown role" in result.stderr
    assert "4 problems found" in result.stderr


def test_a_prerequisite_at_a_higher_level_is_a_warning_not_a_failure(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "catalog.yaml").write_text(
        'catalog: tiny\nversion: "1"\ntitle: Tiny\n'
        "levels: {0: None, 1: One, 2: Two}\nareas: {core: Core}\nroles: {dev: Dev}\n"
        "capabilities:\n"
        "  - {id: early, title: Early, area: core, level: 1, requires: [late],"
        " effort: [{weeks: 1, people: {dev: 1}}]}\n"
        "  - {id: late, title: Late, area: core, level: 2,"
        " effort: [{weeks: 1, people: {dev: 1}}]}\n",
        encoding="utf-8",
    )
    result = run_cli(["catalog", "validate", "catalog.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    assert (
        "catalog.yaml:8: capabilities[0] (early).requires[0]: warning: prerequisite 'late' is "
        "at level 2, higher than this capability's level 1" in result.stderr
    )
    assert "ok: catalog 'tiny' 1: 2 capabilities" in result.stdout


def test_a_missing_engagement_file_is_bad_input(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["gap", "--engagement", "nowhere.yaml"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "error: nowhere.yaml: file not found; check the path" in result.stderr


# A complete engagement holding every optional key, as JSON (which is YAML with every string
# quoted): the schema's examples are put in it one by one, and the loader must take each.
FULL_ENGAGEMENT: dict[str, object] = {
    "name": "Examples Co",
    "current": {"level": 0},
    "target": {"level": 1},
    "team": {
        "start": "2027-01-04",
        "roles": {
            "data-scientist": 1,
            "data-engineer": 1,
            "ml-engineer": 1,
            "software-engineer": 1,
            "platform-engineer": 1,
        },
        "changes": [
            {"role": "ml-engineer", "change": 1, "from": "2027-05-03", "until": "2027-05-14"}
        ],
    },
    "constraints": {
        "deadline": "2027-12-17",
        "capabilities": {
            "experiment-tracking": {
                "not_before": "2027-02-01",
                "finish_by": "2027-06-25",
                "pin": {"start": "2027-03-01"},
            }
        },
    },
}


def _examples(
    schema: dict[str, Any], node: dict[str, Any], path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], object]]:
    """Every (place, example) the schema publishes, walking $refs, unions, maps and lists."""
    if "$ref" in node:
        return _examples(schema, schema["$defs"][node["$ref"].split("/")[-1]], path)
    found = [(path, example) for example in node.get("examples", [])]
    for branch in node.get("anyOf", []):
        found += _examples(schema, branch, path)
    for key, child in node.get("properties", {}).items():
        found += _examples(schema, child, (*path, key))
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        found += _examples(schema, extra, (*path, "*"))
    if "items" in node:
        found += _examples(schema, node["items"], (*path, 0))
    return found


def _put(document: Any, path: tuple[str | int, ...], value: object) -> None:
    for part in path[:-1]:
        document = document[part] if part != "*" else next(iter(document.values()))
    last = path[-1]
    assert last == "*" or last in document or isinstance(last, int), path
    document[next(iter(document)) if last == "*" else last] = value


def test_every_example_of_the_published_schema_is_accepted_by_the_loader(
    tmp_path: Path,
) -> None:
    schema = json.loads(json_schema(kind="engagement"))
    examples = _examples(schema, schema, ())
    dated = [path for path, example in examples if isinstance(example, str)]
    assert ("team", "start") in dated and ("constraints", "deadline") in dated
    path_file = tmp_path / "engagement.yaml"
    for path, example in examples:
        document = copy.deepcopy(FULL_ENGAGEMENT)
        _put(document, path, example)
        path_file.write_text(json.dumps(document, indent=2), encoding="utf-8")
        load_engagement(path_file)  # raises on any disagreement


def test_a_quoted_date_is_a_date(tmp_path: Path) -> None:
    path = tmp_path / "engagement.yaml"
    path.write_text(
        'name: Quoted\ntarget: {level: 1}\nteam:\n  start: "2027-01-04"\n'
        "  roles: {ml-engineer: 1}\nconstraints:\n  deadline: '2027-12-17'\n",
        encoding="utf-8",
    )
    engagement = load_engagement(path)[0]
    assert engagement.team.start == date(2027, 1, 4)
    assert engagement.constraints.deadline == date(2027, 12, 17)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2027-02-29", "February 2027 has 28 days"),
        ('"2028-02-30"', "February 2028 has 29 days"),
        ("2027-04-31", "April 2027 has 30 days"),
        ("2027-13-01", "there is no month 13"),
    ],
)
def test_an_impossible_date_names_the_file_the_line_and_the_month(
    written: str, reason: str, tmp_path: Path
) -> None:
    path = tmp_path / "engagement.yaml"
    path.write_text(
        f"name: Dates\nteam:\n  start: 2027-01-04\n  roles: {{ml-engineer: 1}}\n"
        f"constraints:\n  deadline: {written}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_engagement(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.location) == (6, "constraints.deadline")
    assert reason in problem.message


def test_an_alias_bomb_is_refused_quickly_within_a_memory_bound(tmp_path: Path) -> None:
    # in a child process limited to 300 MB of address space and 2 s of processor time:
    # following the aliases would need gigabytes and minutes
    probe = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (300 * 2**20, 300 * 2**20))\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (2, 2))\n"
        "from pathlib import Path\n"
        "from planner.errors import InputError\n"
        "from planner.files.engagement_loader import load_engagement\n"
        "try:\n    load_engagement(Path(sys.argv[1]))\n"
        "except InputError as error:\n    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(BROKEN / "engagement-alias-bomb.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "engagement-alias-bomb.yaml:2: the aliases (*name)" in done.stdout


@pytest.mark.parametrize(("command", "level"), [("gap", "9"), ("gap", "-1"), ("plan", "5")])
def test_target_flag_is_range_checked_like_the_file(
    command: str, level: str, run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "bank-level1-to-3.yaml", tmp_path / "engagement.yaml")
    result = run_cli(
        [
            command,
            "--target",
            level,
            "--out" if command == "plan" else "--json",
            *(["plan.json"] if command == "plan" else []),
        ],
        cwd=tmp_path,
    )
    assert result.exit_code == ExitCode.USAGE
    assert f"--target {level}: level {level} does not exist; levels run 0 to 4" in result.stderr
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize("command", ["gap", "plan"])
def test_a_target_already_reached_is_one_sentence_and_writes_nothing(
    command: str, run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "bank-level1-to-3.yaml", tmp_path / "engagement.yaml")
    args = [command, "--target", "1", *(["--out", "plan.json"] if command == "plan" else [])]
    result = run_cli(args, cwd=tmp_path)
    assert result.exit_code == ExitCode.OK
    assert "Northgate Bank is already at level 1 or above in every area: nothing to plan" in (
        result.stdout
    )
    assert len(result.stdout.strip().splitlines()) == 1
    assert not (tmp_path / "plan.json").exists()


def test_a_target_flag_below_the_current_level_names_both(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "bank-level1-to-3.yaml", tmp_path / "engagement.yaml")
    result = run_cli(["plan", "--target", "0", "--out", "plan.json"], cwd=tmp_path)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "the target, level 0, is below the current level 1 of Northgate Bank" in (result.stderr)
    assert not (tmp_path / "plan.json").exists()
