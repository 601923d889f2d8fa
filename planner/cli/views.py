"""Terminal views (rich): tables for catalogs, assessments and gaps."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from planner.catalog import Capability, Catalog
from planner.cli.commands import AssessmentResult
from planner.errors import Problem
from planner.plan import Plan
from planner.workspace import Workspace

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def next_step(command: str) -> None:
    """One line saying what to do next, only for a person at a terminal."""
    if console.is_terminal:
        console.print(f"next: {command}", markup=False, style="dim")


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
    resumed = f" (and {result.resumed} in the earlier run)" if result.resumed else ""
    console.print(f"{result.answered} answer(s) recorded{resumed}")
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


def show_plan(plan: Plan) -> None:
    """Milestones with dates, then a sprint-by-sprint view of who works on what."""
    status = plan.solver.status
    if plan.solver.gap_percent:
        status += f", within {plan.solver.gap_percent:.1f}% of the best possible target date"
    console.print(
        f"[bold]{plan.engagement}[/bold]: level {plan.current_level} → {plan.target_level}, "
        f"{plan.start} → {plan.end}; {len(plan.items)} capabilities, "
        f"{plan.total_person_days:g} person-days, {plan.total_cost:,.0f} {plan.currency} "
        f"(solver: {status})"
    )
    for note in plan.notes:
        errors.print(f"note: {note}", markup=False)
    table = Table(title="Milestones", title_justify="left")
    for column in ("date", "milestone", "capabilities", "deadline"):
        table.add_column(column)
    for milestone in plan.milestones:
        style = "bold" if milestone.area is None else ""
        table.add_row(
            str(milestone.date),
            milestone.title,
            str(len(milestone.capabilities)),
            str(milestone.deadline or ""),
            style=style,
        )
    console.print(table)
    sprints = Table(title=f"Sprints ({plan.sprint_weeks} weeks each)", title_justify="left")
    sprints.add_column("sprint")
    sprints.add_column("starts")
    sprints.add_column("work (capability: who)")
    sprints.add_column("load (busy/available)")
    for load in plan.sprints:
        work = []
        for cap_id in load.capabilities:
            item = plan.item(cap_id)
            crew = ", ".join(f"{n} {r}" for r, n in item.people.items())
            line = f"{cap_id}: {crew}"
            work.append(f"[bold]{line}[/bold]" if item.sprint_start == load.sprint else line)
        busy = ", ".join(
            f"{role} {load.busy[role]:g}/{load.available[role]:g}"
            for role in load.busy
            if load.busy[role]
        )
        sprints.add_row(str(load.sprint), str(load.start), "\n".join(work), busy)
    console.print(sprints)
    console.print("bold: starts in this sprint")
    items = Table(title="Why each item is there, and when", title_justify="left")
    for column in ("capability", "start → end", "staffing", "why", "why then"):
        items.add_column(column)
    for item in plan.items:
        mark = " ◆" if item.critical else ""
        items.add_row(
            f"{item.id}{mark}",
            f"{item.start} → {item.end}",
            f"option {item.option}: " + ", ".join(f"{n} {r}" for r, n in item.people.items()),
            "; ".join(item.why),
            item.why_then,
        )
    console.print(items)
    console.print("◆ critical: no float before the target date")
