"""Terminal views (rich): tables for catalogs, assessments and gaps."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from planner.catalog import Capability, Catalog
from planner.cli.commands import AssessmentResult
from planner.errors import Problem
from planner.workspace import Workspace

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def show_warnings(problems: Iterable[Problem]) -> None:
    for problem in problems:
        errors.print(
            f"[yellow]{problem}[/yellow]" if problem.severity == "warning" else str(problem),
            markup=problem.severity == "warning",
        )


def show_catalog(catalog: Catalog) -> None:
    table = Table(
        title=f"{catalog.title} — {len(catalog.capabilities)} capabilities", title_justify="left"
    )
    for column in ("level", "area", "id", "title", "requires", "effort"):
        table.add_column(column)
    for cap in sorted(
        catalog.capabilities, key=lambda c: (c.level, list(catalog.areas).index(c.area), c.id)
    ):
        table.add_row(
            str(cap.level),
            catalog.areas.get(cap.area, cap.area),
            cap.id,
            cap.title,
            ", ".join(cap.prerequisite_ids),
            " | ".join(o.describe() for o in cap.effort),
        )
    console.print(table)


def show_capability(catalog: Catalog, cap: Capability) -> None:
    console.print(
        f"[bold]{cap.title}[/bold] ({cap.id}) — level {cap.level} · "
        f"{catalog.areas.get(cap.area, cap.area)}"
    )
    if cap.description:
        console.print(cap.description)
    sections: list[tuple[str, Iterable[str]]] = [
        (
            "requires",
            [p.id + (f" (+{p.lag_weeks:g} weeks)" if p.lag_weeks else "") for p in cap.requires],
        ),
        (
            "staffing options",
            [f"{n}. {o.describe(catalog.roles)}" for n, o in enumerate(cap.effort, 1)],
        ),
        ("deliverables", cap.deliverables),
        ("success criteria", cap.success_criteria),
        ("stories", [s.title for s in cap.stories]),
        (
            "maturity model rows covered",
            [f"level {r.level} · {r.column}: {r.text}" for r in cap.seed],
        ),
    ]
    for title, lines in sections:
        items = list(lines)
        if items:
            console.print(f"\n[bold]{title}[/bold]")
            for line in items:
                console.print(f"  • {line}", markup=False)


def show_assessment(result: AssessmentResult) -> None:
    assessment = result.assessment
    table = Table(title="Assessment", title_justify="left")
    table.add_column("area")
    table.add_column("level", justify="right")
    for area, title in result.catalog.areas.items():
        table.add_row(title, str(assessment.area_levels[area]))
    table.add_row("[bold]overall[/bold]", f"[bold]{assessment.overall_level}[/bold]")
    console.print(table)
    console.print(f"{result.answered} answer(s) recorded")
    for note in assessment.discrepancies:
        errors.print(f"note: {note}", markup=False)


def show_gap(workspace: Workspace) -> None:
    gap, catalog = workspace.gap, workspace.catalog
    for note in workspace.assessment.discrepancies:
        errors.print(f"note: {note}", markup=False)
    levels = " · ".join(
        f"{catalog.areas[a]} {gap.current_levels[a]}→{gap.target_levels[a]}" for a in catalog.areas
    )
    console.print(
        f"[bold]{workspace.engagement.name}[/bold]: level {gap.current_overall} → "
        f"{gap.target_overall}  ({levels})"
    )
    if not gap.items:
        console.print("Nothing is missing: the target is reached.")
        return
    table = Table(title=f"Gap: {len(gap.items)} capabilities", title_justify="left")
    for column in ("level", "area", "capability", "status", "why"):
        table.add_column(column)
    previous: tuple[int, str] | None = None
    for item in gap.items:
        cap = item.capability
        group = (cap.level, cap.area)
        if previous is not None and group[0] != previous[0]:
            table.add_section()
        status = item.status if item.status != "partial" else f"partial ({item.remaining:.0%} left)"
        table.add_row(
            str(cap.level) if previous is None or previous[0] != cap.level else "",
            catalog.areas[cap.area] if previous != group else "",
            cap.id,
            status,
            "; ".join(item.reasons),
        )
        previous = group
    console.print(table)
    weeks = sum(min(o.person_weeks for o in i.capability.effort) * i.remaining for i in gap.items)
    console.print(f"Effort at least {weeks:g} person-weeks (cheapest staffing options).")
