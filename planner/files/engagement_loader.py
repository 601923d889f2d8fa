"""Loading an engagement file into an :class:`~planner.engagement.Engagement`."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from planner.catalog import Catalog, EstimateRange, range_problem, with_estimates
from planner.engagement import (
    CapabilityConstraint,
    CapabilityState,
    CatalogChoice,
    Constraints,
    CurrentState,
    Engagement,
    JiraTarget,
    Person,
    RoleStaffing,
    Target,
    Team,
    TeamChange,
    TrackerTarget,
)
from planner.errors import InputError, Problem
from planner.files.catalog_loader import read_catalog_files
from planner.files.schema import CapabilityStateEntry, EngagementFile, RoleEntry
from planner.files.validate import validate_document
from planner.files.yaml_source import YamlDocument, format_location, read_yaml
from planner.workspace import Workspace, make_workspace


def engagement_from(document: YamlDocument) -> Engagement:
    """Schema-check an engagement document and build the plain engagement."""
    parsed = validate_document(document, EngagementFile, "an engagement")
    states: dict[str, CapabilityState] = {}
    problems: list[Problem] = []
    for cap_id, answer in parsed.current.capabilities.items():
        entry = (
            answer
            if isinstance(answer, CapabilityStateEntry)
            else CapabilityStateEntry(status=answer)
        )
        if entry.status != "partial" and entry.remaining is not None:
            path = ("current", "capabilities", cap_id, "remaining")
            problems.append(
                Problem(
                    document.source,
                    format_location(path),
                    f"'remaining' only applies to status partial, not {entry.status}; "
                    "remove it or set status: partial",
                    document.line(path),
                )
            )
        states[cap_id] = CapabilityState.answered(
            entry.status, entry.remaining, entry.evidence.strip()
        )
    for index, change in enumerate(parsed.team.changes):
        if change.end is not None and change.end < change.start:
            where: tuple[str | int, ...] = ("team", "changes", index, "until")
            problems.append(
                Problem(
                    document.source,
                    format_location(where),
                    f"ends ({change.end}) before it starts ({change.start}); swap the dates",
                    document.line(where),
                )
            )
    problems += _people_problems(document, parsed)
    if problems:
        raise InputError(problems)
    roles = {
        role: entry if isinstance(entry, RoleEntry) else RoleEntry(people=entry)
        for role, entry in parsed.team.roles.items()
    }
    pins = parsed.constraints.capabilities
    return Engagement(
        name=parsed.name,
        client=parsed.client,
        source=document.source,
        catalog=CatalogChoice(
            parsed.catalog.builtin, parsed.catalog.file, tuple(parsed.catalog.overlays)
        ),
        current=CurrentState(parsed.current.level, dict(parsed.current.areas), states),
        target=Target(
            parsed.target.level,
            dict(parsed.target.areas),
            tuple(parsed.target.include),
            tuple(parsed.target.exclude),
        ),
        team=Team(
            start=parsed.team.start,
            roles={r: RoleStaffing(e.people, e.day_rate) for r, e in roles.items()},
            sprint_weeks=parsed.team.sprint_weeks,
            focus_factor=parsed.team.focus_factor,
            currency=parsed.team.currency,
            changes=tuple(
                TeamChange(c.role or "", c.change, c.start, c.end, c.note, c.person)
                for c in parsed.team.changes
            ),
            people=tuple(
                Person(p.name, tuple(p.roles), dict(p.efficiency), p.day_rate)
                for p in parsed.team.people
            ),
        ),
        constraints=Constraints(
            deadline=parsed.constraints.deadline,
            budget=parsed.constraints.budget,
            capabilities={
                cap: CapabilityConstraint(
                    c.not_before,
                    c.finish_by,
                    c.pin.start if c.pin else None,
                    c.pin.option if c.pin else None,
                )
                for cap, c in pins.items()
            },
        ),
        jira=JiraTarget(parsed.jira.url, parsed.jira.project, parsed.jira.roadmap_label),
        estimates={
            cap: tuple(EstimateRange(r.optimistic, r.pessimistic) for r in ranges)
            for cap, ranges in parsed.estimates.items()
        },
        tracker=TrackerTarget(
            parsed.tracker.kind,
            parsed.tracker.url,
            parsed.tracker.project,
            parsed.tracker.roadmap_label,
            parsed.tracker.team,
            parsed.tracker.epic_type,
            parsed.tracker.story_type,
            parsed.tracker.link_type,
        )
        if parsed.tracker is not None
        else None,
    )


def _people_problems(document: YamlDocument, parsed: EngagementFile) -> list[Problem]:
    """Named people: unique names, each role once, efficiencies only for their roles, and a
    team with somebody in it."""
    problems: list[Problem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.append(
            Problem(document.source, format_location(path), message, document.line(path))
        )

    team = parsed.team
    if not team.roles and not team.people:
        report(("team",), "the team has nobody; give 'roles' (people per role) or 'people'")
    seen: dict[str, int] = {}
    for index, person in enumerate(team.people):
        if person.name.casefold() in seen:
            report(
                ("team", "people", index, "name"),
                f"duplicate name '{person.name}' (also team.people[{seen[person.name.casefold()]}]"
                "); give each person a distinct name",
            )
        seen.setdefault(person.name.casefold(), index)
        for at, role in enumerate(person.roles):
            if role in person.roles[:at]:
                report(
                    ("team", "people", index, "roles", at),
                    f"role '{role}' is listed twice for {person.name}; list it once",
                )
        for role in person.efficiency:
            if role not in person.roles:
                report(
                    ("team", "people", index, "efficiency", role),
                    f"'{role}' is not one of {person.name}'s roles ({', '.join(person.roles)}); "
                    "add it to roles or remove the efficiency",
                )
    names = {person.name for person in team.people}
    for index, change in enumerate(team.changes):
        where: tuple[str | int, ...] = ("team", "changes", index)
        if (change.role is None) == (change.person is None):
            report(where, "give either 'role' (anonymous people) or 'person' (a named one)")
        elif change.person is not None and change.person not in names:
            known = ", ".join(sorted(names)) or "nobody is named"
            report(
                (*where, "person"),
                f"'{change.person}' is not in team.people ({known}); fix the name or add "
                "the person",
            )
        elif change.person is not None and change.change not in (-1, 1):
            report(
                (*where, "change"),
                f"a named person is away (-1) or joins (+1), not {change.change:+d}",
            )
    return problems


def check_engagement(
    engagement: Engagement, catalog: Catalog, document: YamlDocument | None = None
) -> list[Problem]:
    """Cross-reference checks: ids, roles, areas and levels the catalog must know."""
    problems: list[Problem] = []
    source = engagement.source

    def report(path: tuple[str | int, ...], message: str, severity: str = "error") -> None:
        line = document.line(path) if document else None
        problems.append(Problem(source, format_location(path), message, line, severity))

    def known_capability(path: tuple[str | int, ...], cap_id: str) -> None:
        if cap_id not in catalog:
            close = sorted(c for c in catalog.by_id if c.split("-")[0] == cap_id.split("-")[0])
            hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
            report(
                path,
                f"unknown capability '{cap_id}'{hint}; 'mlops-planner catalog list' shows the ids",
            )

    top = catalog.max_level
    for where, level in (
        ("current", engagement.current.level),
        ("target", engagement.target.level),
    ):
        if level is not None and level > top:
            report((where, "level"), f"level {level} does not exist; levels run 0 to {top}")
    for where, areas in (
        ("current", engagement.current.areas),
        ("target", engagement.target.areas),
    ):
        for area, level in areas.items():
            if area not in catalog.areas:
                report(
                    (where, "areas", area),
                    f"unknown area '{area}'; use one of: {', '.join(catalog.areas)}",
                )
            elif level > top:
                report(
                    (where, "areas", area), f"level {level} does not exist; levels run 0 to {top}"
                )
    for cap_id in engagement.current.capabilities:
        known_capability(("current", "capabilities", cap_id), cap_id)
    for key in ("include", "exclude"):
        for index, cap_id in enumerate(getattr(engagement.target, key)):
            known_capability(("target", key, index), cap_id)
    for cap_id, constraint in engagement.constraints.capabilities.items():
        known_capability(("constraints", "capabilities", cap_id), cap_id)
        if (
            constraint.pin_option is not None
            and cap_id in catalog
            and constraint.pin_option > len(catalog[cap_id].effort)
        ):
            report(
                ("constraints", "capabilities", cap_id, "pin", "option"),
                f"'{cap_id}' has {len(catalog[cap_id].effort)} staffing option(s); "
                f"option {constraint.pin_option} does not exist",
            )
        if (
            constraint.not_before
            and constraint.finish_by
            and constraint.finish_by <= constraint.not_before
        ):
            report(
                ("constraints", "capabilities", cap_id, "finish_by"),
                "must be later than not_before",
            )
    for cap_id, ranges in engagement.estimates.items():
        known_capability(("estimates", cap_id), cap_id)
        if cap_id not in catalog:
            continue
        options = catalog[cap_id].effort
        if len(ranges) != len(options):
            report(
                ("estimates", cap_id),
                f"'{cap_id}' has {len(options)} staffing option(s); give one range per option "
                f"(got {len(ranges)})",
            )
        for index, (option, spread) in enumerate(zip(options, ranges, strict=False)):
            why = range_problem(option.weeks, spread.optimistic, spread.pessimistic)
            if why:
                report(("estimates", cap_id, index), why)
    for role in engagement.team.roles:
        if role not in catalog.roles:
            report(
                ("team", "roles", role),
                f"unknown role '{role}'; the catalog's roles are: {', '.join(catalog.roles)}",
            )
    for index, person in enumerate(engagement.team.people):
        if person.name in catalog.roles:
            report(
                ("team", "people", index, "name"),
                f"'{person.name}' is a role id of the catalog; name the person otherwise "
                "(e.g. with a capital letter)",
            )
        for at, role in enumerate(person.roles):
            if role not in catalog.roles:
                report(
                    ("team", "people", index, "roles", at),
                    f"unknown role '{role}' for {person.name}; the catalog's roles are: "
                    f"{', '.join(catalog.roles)}",
                )
    for index, change in enumerate(engagement.team.changes):
        if change.person is None and (
            change.role not in engagement.team.roles and change.role not in catalog.roles
        ):
            report(("team", "changes", index, "role"), f"unknown role '{change.role}'")
    if engagement.constraints.deadline and engagement.constraints.deadline <= engagement.team.start:
        report(
            ("constraints", "deadline"),
            f"the deadline {engagement.constraints.deadline} is not after the team's start "
            f"{engagement.team.start}; move it later",
        )
    return problems


def load_engagement(path: Path) -> tuple[Engagement, Catalog, list[Problem]]:
    """Read an engagement file and its catalog; return both and every warning.

    Raises :class:`InputError` with all errors found (schema first, then cross-references).
    """
    engagement, catalog, warnings, _ = _load(path)
    return engagement, catalog, warnings


def _load(path: Path) -> tuple[Engagement, Catalog, list[Problem], YamlDocument]:
    if not path.exists():
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    "file not found; check the path, or write an example engagement to start "
                    f"from with 'mlops-planner init {path}'",
                )
            ]
        )
    document = read_yaml(path, str(path))
    engagement = engagement_from(document)
    base_dir = path.parent
    choice = engagement.catalog
    catalog, warnings = read_catalog_files(
        choice.builtin,
        base_dir / choice.file if choice.file else None,
        [base_dir / overlay for overlay in choice.overlays],
    )
    problems = check_engagement(engagement, catalog, document)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    catalog = with_estimates(catalog, engagement.estimates)
    return engagement, catalog, [*warnings, *problems], document


def open_workspace(
    path: Path, *, target_level: int | None = None, refuse_target_below: bool = False
) -> Workspace:
    """Read ``path`` and its catalog, assess and compute the gap; flags override the file
    (see :func:`planner.workspace.make_workspace`)."""
    engagement, catalog, warnings, document = _load(path)
    try:
        return make_workspace(
            engagement,
            catalog,
            path=path,
            warnings=warnings,
            target_level=target_level,
            refuse_target_below=refuse_target_below,
        )
    except InputError as error:  # the core knows places, the file knows their lines
        raise InputError([with_line(problem, document) for problem in error.problems]) from None


def with_line(problem: Problem, document: YamlDocument) -> Problem:
    """``problem`` with the line of its place in ``document``, when it has none yet."""
    if problem.line is not None or problem.source != document.source or not problem.location:
        return problem
    path: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", problem.location):
        path.append(int(part[1:-1]) if part.startswith("[") else part)
    return replace(problem, line=document.line(tuple(path)))


def check_answers(
    current: CurrentState, catalog: Catalog, source: str, document: YamlDocument | None = None
) -> None:
    """Every answered capability and area must be in the catalog."""

    def line(*path: str) -> int | None:
        return document.line(path) if document else None

    problems = [
        Problem(
            source,
            f"capabilities.{cap_id}",
            f"unknown capability '{cap_id}'; 'mlops-planner catalog list' shows the ids",
            line("capabilities", cap_id),
        )
        for cap_id in current.capabilities
        if cap_id not in catalog
    ] + [
        Problem(
            source,
            f"areas.{area}",
            f"unknown area '{area}'; use one of: {', '.join(catalog.areas)}",
            line("areas", area),
        )
        for area in current.areas
        if area not in catalog.areas
    ]
    if problems:
        raise InputError(problems)
