"""Same inputs, same plan, byte for byte, whatever the machine's load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planner.files.engagement_loader import open_workspace
from planner.files.plan_file import plan_to_json, read_plan
from planner.forecast import with_forecast
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan

BURN = "import time\nend = time.time() + 60\nwhile time.time() < end: pass\n"


def plan_json_in_subprocess(engagement: Path, out: Path) -> bytes:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "plan",
            "--engagement",
            str(engagement),
            "--out",
            str(out),
            "--time-limit",
            "5",
        ],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def test_same_plan_byte_for_byte_under_load(tmp_path: Path) -> None:
    engagement = tmp_path / "engagement.yaml"
    subprocess.run(
        [sys.executable, "-m", "planner", "init", str(engagement)], check=True, capture_output=True
    )
    quiet = plan_json_in_subprocess(engagement, tmp_path / "quiet.json")
    burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(2)]
    try:
        loaded = plan_json_in_subprocess(engagement, tmp_path / "loaded.json")
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert quiet == loaded
    workspace = open_workspace(engagement)
    plan = read_plan(tmp_path / "quiet.json")
    assert check_plan(plan, workspace) == []
    # in-process, a third time: the same bytes again (the plan file carries its forecast)
    assert plan_to_json(with_forecast(make_plan(workspace, time_limit=5))).encode() == quiet


def test_plan_files_validate_against_the_published_schema(tmp_path: Path) -> None:
    import json

    import jsonschema

    from planner.cli.commands import json_schema

    engagement = tmp_path / "engagement.yaml"
    subprocess.run(
        [sys.executable, "-m", "planner", "init", str(engagement)], check=True, capture_output=True
    )
    document = json.loads(plan_json_in_subprocess(engagement, tmp_path / "plan.json"))
    schema = json.loads(json_schema(kind="plan"))
    jsonschema.validate(document, schema)
    broken = {**document, "items": "not a list"}
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a plan file with items that are not a list passed the schema")
