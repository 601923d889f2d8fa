"""Plain, keyword-only functions behind the CLI commands; the tests call them directly.

They read and write files but never print or exit; they return data for the views.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.assessment import Assessment, assess
from planner.catalog import Capability, Catalog
from planner.engagement import CapabilityState, CurrentState
from planner.errors import InputError, Problem, UsageError

if TYPE_CHECKING:
    from planner.files.yaml_source import YamlDocument


def example_engagement_text() -> str:
    """The commented example engagement shipped with the package."""
    from importlib.resources import files

    return (files("planner") / "templates" / "engagement.example.yaml").read_text("utf-8")


def write_example(*, path: Path, force: bool = False) -> None:
    from planner.files.atomic import write_atomic

    if path.exists() and not force:
        raise UsageError(
            f"{path} exists already; pass --force to overwrite it or choose another path"
        )
    write_atomic(path, example_engagement_text())


def catalog_for(*, engagement: Path | None) -> Catalog:
    """The engagement's catalog (with overlays) if the file exists, else the built-in one."""
    from planner.files.catalog_loader import read_catalog_files
    from planner.files.engagement_loader import load_engagement

    if engagement is not None and engagement.exists():
        return load_engagement(engagement)[1]
    return read_catalog_files(None, None, [])[0]


def find_capability(catalog: Catalog, capability_id: str) -> Capability:
    if capability_id not in catalog:
        close = [c for c in catalog.by_id if capability_id in c or c in capability_id]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
        raise UsageError(
            f"no capability '{capability_id}' in catalog '{catalog.id}'{hint}; "
            "'mlops-planner catalog list' shows the ids"
        )
    return catalog[capability_id]


def validate_catalog(
    *, files: Sequence[Path], overlays: Sequence[Path]
) -> tuple[Catalog, list[Problem]]:
    from planner.files.catalog_loader import read_catalog_files

    base = files[0] if files else None
    return read_catalog_files(None, base, [*files[1:], *overlays])


def json_schema(*, kind: str | None) -> str:
    from planner.files.plan_file import plan_json_schema
    from planner.files.schema import SCHEMAS

    names = [*SCHEMAS, "plan"]
    if kind is not None and kind not in names:
        raise UsageError(f"unknown schema '{kind}'; choose one of: {', '.join(names)}")
    schemas: dict[str, Any] = {
        name: model.model_json_schema(by_alias=True)
        for name, model in SCHEMAS.items()
        if kind in (None, name)
    }
    if kind in (None, "plan"):
        schemas["plan"] = plan_json_schema()
    document = schemas[kind] if kind else schemas
    return json.dumps(document, indent=2, sort_keys=True)


@dataclass(frozen=True)
class AssessmentResult:
    catalog: Catalog
    assessment: Assessment
    answered: int


def _save_current(engagement: Path, current: CurrentState) -> None:
    from planner.files.atomic import write_atomic
    from planner.files.current_section import replace_current_section
    from planner.files.engagement_loader import load_engagement

    text = engagement.read_text(encoding="utf-8")
    updated = replace_current_section(text, current)
    write_atomic(engagement, updated)
    try:
        load_engagement(engagement)
    except InputError:  # cannot happen with valid answers; restore the user's file regardless
        write_atomic(engagement, text)
        raise


def _answers_state(answers: Path) -> tuple[CurrentState, YamlDocument]:
    from planner.files.schema import CurrentEntry
    from planner.files.validate import validate_document
    from planner.files.yaml_source import read_yaml

    document = read_yaml(answers)
    data = document.data
    if isinstance(data, dict) and "current" in data and len(data) == 1:
        from planner.files.yaml_source import YamlDocument

        document = YamlDocument(
            document.source,
            data["current"],
            {k[1:]: v for k, v in document.lines.items() if k[:1] == ("current",)},
        )
    parsed = validate_document(document, CurrentEntry, "assessment answers (capability: status)")
    states = {
        cap_id: (
            CapabilityState.answered(answer)
            if isinstance(answer, str)
            else CapabilityState.answered(answer.status, answer.remaining, answer.evidence)
        )
        for cap_id, answer in parsed.capabilities.items()
    }
    return CurrentState(parsed.level, dict(parsed.areas), states), document


def assess_from_answers(*, engagement: Path, answers: Path) -> AssessmentResult:
    """Merge an answers file into the engagement's current state and save it."""
    from planner.files.engagement_loader import check_answers, load_engagement

    loaded, catalog, _ = load_engagement(engagement)
    given, document = _answers_state(answers)
    check_answers(given, catalog, str(answers), document)
    merged = CurrentState(
        level=given.level if given.level is not None else loaded.current.level,
        areas={**loaded.current.areas, **given.areas},
        capabilities=_ordered(catalog, {**loaded.current.capabilities, **given.capabilities}),
    )
    _save_current(engagement, merged)
    return AssessmentResult(catalog, assess(catalog, merged), len(given.capabilities))


def _ordered(catalog: Catalog, states: dict[str, CapabilityState]) -> dict[str, CapabilityState]:
    return {c.id: states[c.id] for c in catalog.capabilities if c.id in states}


Ask = Callable[[Capability, CapabilityState | None, Catalog], CapabilityState | None]


def assess_interactively(*, engagement: Path, ask: Ask | None = None) -> AssessmentResult:
    """Ask one question per capability, grouped by area and level; save the answers."""
    from planner.files.engagement_loader import load_engagement

    loaded, catalog, _ = load_engagement(engagement)
    if ask is None:
        from planner.cli.questions import ask_capability

        ask = ask_capability
    states = dict(loaded.current.capabilities)
    answered = 0
    for area in catalog.areas:
        for cap in sorted(catalog.in_area(area), key=lambda c: (c.level, c.id)):
            answer = ask(cap, states.get(cap.id), catalog)
            if answer is not None:
                states[cap.id] = answer
                answered += 1
    current = replace(loaded.current, capabilities=_ordered(catalog, states))
    _save_current(engagement, current)
    return AssessmentResult(catalog, assess(catalog, current), answered)
