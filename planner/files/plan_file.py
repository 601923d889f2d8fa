"""The plan file: versioned JSON, with a published JSON Schema; read back with validation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from planner.errors import InputError, Problem
from planner.files.atomic import write_atomic
from planner.plan import PLAN_SCHEMA_VERSION, Plan


@cache
def _adapter() -> TypeAdapter[Plan]:
    return TypeAdapter(Plan)


def plan_to_json(plan: Plan) -> str:
    """The plan as JSON text, byte-for-byte stable for the same plan."""
    data = _adapter().dump_python(plan, mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def plan_json_schema() -> dict[str, Any]:
    schema = _adapter().json_schema()
    schema["$id"] = f"https://mlops-roadmap-planner/schemas/plan-v{PLAN_SCHEMA_VERSION}.json"
    return schema


def write_plan(plan: Plan, path: Path) -> None:
    write_atomic(path, plan_to_json(plan))


def _looks_like(data: Any) -> str:
    """A few words on what a JSON document that is not a plan seems to be."""
    if isinstance(data, list):
        return f"a list of {len(data)} value(s)"
    if not isinstance(data, dict):
        return f"a single value ({type(data).__name__})"
    if "$schema" in data or ("properties" in data and "type" in data):
        return "a JSON Schema ('mlops-planner schema' prints those)"
    if {"current", "target", "items"} <= set(data):
        return "the output of 'mlops-planner gap --json'"
    keys = ", ".join(sorted(map(str, data))[:6])
    return f"an object with the keys {keys}" if keys else "an empty object"


def read_plan(path: Path) -> Plan:
    """Read and validate a plan file; every problem names the place in the file."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            [
                Problem(
                    source,
                    "",
                    "plan file not found; create it with 'mlops-planner plan --out FILE'",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(source, "", f"cannot be read: {exc}")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(source, "", f"not valid JSON: {exc.msg}", exc.lineno)]) from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not {"schema_version", "engagement", "items"} <= set(data):
        raise InputError(
            [
                Problem(
                    source,
                    "",
                    f"this JSON is not a plan file: it looks like {_looks_like(data)}. A plan "
                    "file is what 'mlops-planner plan --out FILE' writes (an object with "
                    "schema_version, engagement, items, milestones, ...)",
                )
            ]
        )
    if isinstance(version, int) and version > PLAN_SCHEMA_VERSION:
        raise InputError(
            [
                Problem(
                    source,
                    "schema_version",
                    f"this plan was written by a newer mlops-planner (plan file version "
                    f"{version}; this one reads version {PLAN_SCHEMA_VERSION}): upgrade the "
                    "tool (pip install --upgrade mlops-planner), the plan is fine",
                )
            ]
        )
    if version != PLAN_SCHEMA_VERSION:
        raise InputError(
            [
                Problem(
                    source,
                    "schema_version",
                    f"plan file version {version!r} is not supported (expected "
                    f"{PLAN_SCHEMA_VERSION}); re-create it with 'mlops-planner plan'",
                )
            ]
        )
    try:
        return _adapter().validate_python(data)
    except ValidationError as exc:
        problems = [
            Problem(source, ".".join(str(p) for p in error["loc"]), error["msg"])
            for error in exc.errors(include_url=False)[:20]
        ]
        raise InputError(problems) from None
