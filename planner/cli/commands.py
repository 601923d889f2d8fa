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
from planner.engagement import CapabilityState, CurrentState, Engagement
from planner.errors import InputError, PlannerError, Problem, UsageError

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
    resumed: int = 0
    """Questions answered in an earlier, stopped run of the same assessment."""


def _save_current(engagement: Path, current: CurrentState) -> None:
    from planner.files.atomic import write_atomic
    from planner.files.current_section import replace_current_section
    from planner.files.engagement_loader import load_engagement

    with engagement.open(encoding="utf-8", newline="") as stream:  # line endings as they are
        text = stream.read()
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


Ask = Callable[[Capability, CapabilityState | None, Catalog, str], CapabilityState | None]
"""Ask about one capability (its place in the questions, e.g. ``12/34``, as the last
argument); None: skipped. Raises KeyboardInterrupt when the user stops (Ctrl-C, Ctrl-D)."""


class AssessmentStopped(PlannerError):
    """The user stopped ``assess`` part way; every answer given so far is saved."""

    exit_code = 130


def questions_for(
    catalog: Catalog, engagement: Engagement, *, everything: bool
) -> list[Capability]:
    """The capabilities to ask about, by area and level: every one with ``everything``, else
    those the target needs (its gap when nothing is done yet: its capabilities and all their
    prerequisites); all of them when the engagement names no target."""
    from planner.gap import compute_gap

    ordered = [
        cap
        for area in catalog.areas
        for cap in sorted(catalog.in_area(area), key=lambda c: (c.level, c.id))
    ]
    if everything:
        return ordered
    try:
        blank = compute_gap(catalog, assess(catalog, CurrentState()), engagement.target)
    except InputError:  # a target the blank assessment cannot reach: ask everything
        return ordered
    needed = set(blank.ids)
    return [cap for cap in ordered if cap.id in needed] or ordered


def progress_file(engagement: Path) -> Path:
    """Where an unfinished interactive assessment keeps the ids already asked."""
    return engagement.with_name(f".{engagement.name}.assess")


def assess_interactively(
    *, engagement: Path, ask: Ask | None = None, everything: bool = False
) -> AssessmentResult:
    """Ask about the capabilities that matter for the target (every one with
    ``everything``); each answer is saved at once, so a stopped assessment loses nothing and
    the next run goes on where it stopped."""
    from planner.files.atomic import write_atomic
    from planner.files.engagement_loader import load_engagement

    loaded, catalog, _ = load_engagement(engagement)
    if ask is None:
        from planner.cli.questions import ask_capability

        ask = ask_capability
    questions = questions_for(catalog, loaded, everything=everything)
    progress = progress_file(engagement)
    asked = set(progress.read_text(encoding="utf-8").split()) if progress.exists() else set()
    resumed = len([cap for cap in questions if cap.id in asked])
    states = dict(loaded.current.capabilities)
    answered = 0
    for number, cap in enumerate(questions, 1):
        if cap.id in asked:
            continue
        try:
            answer = ask(cap, states.get(cap.id), catalog, f"{number}/{len(questions)}")
        except (KeyboardInterrupt, EOFError):
            raise AssessmentStopped(
                f"stopped at question {number}/{len(questions)}; "
                f"{answered + resumed} answer(s) so far are saved in {engagement}. "
                f"Run 'mlops-planner assess --engagement {engagement}' again to go on from "
                "there."
            ) from None
        if answer is not None:
            states[cap.id] = answer
            answered += 1
            _save_current(
                engagement, replace(loaded.current, capabilities=_ordered(catalog, states))
            )
        asked.add(cap.id)
        write_atomic(progress, "".join(f"{cap_id}\n" for cap_id in sorted(asked)))
    progress.unlink(missing_ok=True)
    current = replace(loaded.current, capabilities=_ordered(catalog, states))
    return AssessmentResult(catalog, assess(catalog, current), answered, resumed)


def capability_json(catalog: Catalog, cap: Capability, *, full: bool = False) -> dict[str, Any]:
    """One capability as plain JSON data (``full``: with deliverables, criteria, stories)."""
    data: dict[str, Any] = {
        "id": cap.id,
        "title": cap.title,
        "area": cap.area,
        "level": cap.level,
        "requires": list(cap.prerequisite_ids),
        "effort": [{"weeks": o.weeks, "people": dict(o.people)} for o in cap.effort],
    }
    if full:
        data.update(
            description=cap.description,
            deliverables=list(cap.deliverables),
            success_criteria=list(cap.success_criteria),
            stories=[s.title for s in cap.stories],
        )
    return data


def assessment_json(result: AssessmentResult, engagement: Path) -> str:
    """What ``assess`` found, for scripts."""
    assessment = result.assessment
    return json.dumps(
        {
            "engagement": str(engagement),
            "overall": assessment.overall_level,
            "areas": dict(assessment.area_levels),
            "answered": result.answered,
            "discrepancies": list(assessment.discrepancies),
        },
        indent=2,
        ensure_ascii=False,
    )
