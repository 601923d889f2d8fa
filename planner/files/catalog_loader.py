"""Loading catalogs and overlays into a checked :class:`~planner.catalog.Catalog`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.catalog import (
    Capability,
    Catalog,
    Origin,
    Prerequisite,
    SeedRef,
    StaffingOption,
    Story,
    check_catalog,
)
from planner.errors import InputError, Problem
from planner.files.schema import (
    CapabilityEntry,
    CapabilityPatch,
    CatalogFile,
    OverlayFile,
    PrerequisiteEntry,
)
from planner.files.validate import problems_from, validate_document
from planner.files.yaml_source import YamlDocument, format_location, parse_yaml, read_yaml


def read_builtin_catalog(name: str) -> YamlDocument:
    """The shipped catalog ``name`` as a YAML document."""
    from catalog import builtin_catalog_names, builtin_catalog_path

    if name not in builtin_catalog_names():
        raise InputError(
            [
                Problem(
                    "catalog",
                    "builtin",
                    f"no built-in catalog '{name}'; available: "
                    f"{', '.join(builtin_catalog_names())}",
                )
            ]
        )
    text = builtin_catalog_path(name).read_text(encoding="utf-8")
    return parse_yaml(text, f"{name}.yaml (built-in)")


def _capability(entry: CapabilityEntry) -> Capability:
    return Capability(
        id=entry.id,
        title=entry.title,
        area=entry.area,
        level=entry.level,
        description=entry.description.strip(),
        requires=tuple(
            Prerequisite(r.id, r.lag_weeks) if isinstance(r, PrerequisiteEntry) else Prerequisite(r)
            for r in entry.requires
        ),
        effort=tuple(
            StaffingOption(o.weeks, dict(o.people), o.optimistic, o.pessimistic)
            for o in entry.effort
        ),
        deliverables=tuple(entry.deliverables),
        success_criteria=tuple(entry.success_criteria),
        stories=tuple(Story(s.title, s.description, s.id) for s in entry.stories),
        tags=tuple(entry.tags),
        seed=tuple(SeedRef(s.level, s.column, s.text) for s in entry.seed),
    )


def _origin(document: YamlDocument, index: int) -> Origin:
    path = ("capabilities", index)
    entry = document.data["capabilities"][index]
    cap_id = entry.get("id", "?") if isinstance(entry, dict) else "?"
    return Origin(document.source, f"{format_location(path)} ({cap_id})", document.line(path))


def load_catalog(
    base: YamlDocument, overlays: Sequence[YamlDocument] = (), *, check: bool = True
) -> tuple[Catalog, list[Problem]]:
    """Validate ``base``, apply ``overlays`` in order (merged by id), then check the result.

    Returns the catalog and its warnings; raises :class:`InputError` with every error.
    """
    parsed = validate_document(base, CatalogFile, "a capability catalog")
    entries: dict[str, dict[str, Any]] = {}
    origins: dict[str, Origin] = {}
    order: list[str] = []
    duplicates: list[Problem] = []
    for index, entry in enumerate(parsed.capabilities):
        if entry.id in entries:
            origin = _origin(base, index)
            duplicates.append(
                Problem(
                    origin.source,
                    f"{origin.location}.id",
                    f"duplicate capability id '{entry.id}'; ids must be unique",
                    origin.line,
                )
            )
            continue
        entries[entry.id] = entry.model_dump()
        origins[entry.id] = _origin(base, index)
        order.append(entry.id)
    roles = dict(parsed.roles)
    problems: list[Problem] = list(duplicates)
    removed: dict[str, Origin] = {}
    for overlay in overlays:
        problems.extend(_apply_overlay(overlay, entries, origins, order, roles, removed))
    problems.extend(_removed_but_required(entries, order, removed))
    if problems:
        raise InputError(problems)
    capabilities = tuple(_capability(CapabilityEntry.model_validate(entries[i])) for i in order)
    catalog = Catalog(
        id=parsed.catalog,
        version=parsed.version,
        title=parsed.title,
        levels=dict(parsed.levels),
        areas=dict(parsed.areas),
        roles=roles,
        capabilities=capabilities,
        source=parsed.source,
        estimates=parsed.estimates.strip(),
        origins=origins,
    )
    if not check:
        return catalog, []
    found = check_catalog(catalog)
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise InputError(found)
    return catalog, found


def _apply_overlay(
    overlay: YamlDocument,
    entries: dict[str, dict[str, Any]],
    origins: dict[str, Origin],
    order: list[str],
    roles: dict[str, str],
    removals: dict[str, Origin],
) -> list[Problem]:
    parsed = validate_document(overlay, OverlayFile, "a catalog overlay")
    problems: list[Problem] = []
    roles.update(parsed.roles)
    for index, patch in enumerate(parsed.capabilities):
        path = ("capabilities", index)
        changes = patch.model_dump(exclude_unset=True)
        if patch.id in entries:
            entries[patch.id] = {**entries[patch.id], **changes}
        else:
            try:
                entries[patch.id] = CapabilityEntry.model_validate(changes).model_dump()
            except ValidationError as exc:
                for problem in problems_from(exc, overlay, CapabilityPatch, prefix=path):
                    problems.append(
                        Problem(
                            problem.source,
                            problem.location,
                            f"{problem.message} (new capability '{patch.id}' is not in the "
                            "catalog, so it needs every required field)",
                            problem.line,
                        )
                    )
                continue
            order.append(patch.id)
        origins[patch.id] = _origin(overlay, index)
        removals.pop(patch.id, None)
    for index, removed in enumerate(parsed.remove):
        if removed not in entries:
            problems.append(
                Problem(
                    overlay.source,
                    f"remove[{index}]",
                    f"cannot remove '{removed}': no such capability in the catalog",
                    overlay.line(("remove", index)),
                )
            )
            continue
        del entries[removed]
        order.remove(removed)
        origins.pop(removed, None)
        removals[removed] = Origin(
            overlay.source, f"remove[{index}]", overlay.line(("remove", index))
        )
    return problems


def _removed_but_required(
    entries: dict[str, dict[str, Any]], order: list[str], removed: dict[str, Origin]
) -> list[Problem]:
    """An overlay may only remove what no remaining capability requires; blame the overlay."""
    problems: list[Problem] = []
    for cap_id, origin in removed.items():
        users = [
            other
            for other in order
            if any(
                (r if isinstance(r, str) else r["id"]) == cap_id
                for r in entries[other].get("requires", [])
            )
        ]
        if users:
            verb = "requires" if len(users) == 1 else "require"
            problems.append(
                Problem(
                    origin.source,
                    origin.location,
                    f"cannot remove '{cap_id}': {', '.join(users)} {verb} it; also remove "
                    f"{'it' if len(users) == 1 else 'them'} (or override their requires), "
                    f"or keep '{cap_id}'",
                    origin.line,
                )
            )
    return problems


def read_catalog_files(
    builtin: str | None, file: Path | None, overlays: Sequence[Path]
) -> tuple[Catalog, list[Problem]]:
    """Read the base catalog (built-in name or file) and overlay files, then load them."""
    base = (
        read_yaml(file) if file is not None else read_builtin_catalog(builtin or "mlops-maturity")
    )
    return load_catalog(base, [read_yaml(p) for p in overlays])
