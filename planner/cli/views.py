"""Terminal views (rich): tables for catalogs, assessments and gaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from planner.catalog import Capability, Catalog
from planner.cli.commands import AssessmentResult
from planner.errors import Problem
from planner.plan import Plan
from planner.workspace import Workspace

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


WIDE = 120
"""Below this many columns, tables with ids become lists, so no id is ever cut."""


def show_rows(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A table on a wide terminal, else one block per row; the first column (an id, the very
    text people type into commands) is never cut or broken, the others fold."""
    rows = list(rows)
    if console.width >= WIDE:
        table = Table(title=title, title_justify="left")
        for index, column in enumerate(columns):
            table.add_column(column, no_wrap=index == 0, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
        return
    console.print(Text(title, style="italic"))
    for row in rows:
        console.print(Text(f"• {row[0]}", style="bold"), overflow="ignore", crop=False)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            if cell:
                console.print(Padding(Text(f"{column}: {cell}"), (0, 0, 0, 4)))


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
    show_rows(
        f"{catalog.title} — {len(catalog.capabilities)} capabilities",
        ("id", "level", "area", "title", "requires", "effort"),
        (
            (
                cap.id,
                str(cap.level),
                catalog.areas.get(cap.area, cap.area),
                cap.title,
                ", ".join(cap.prerequisite_ids),
                " | ".join(o.describe() for o in cap.effort),
            )
            for cap in sorted(
                catalog.capabilities,
                key=lambda c: (c.level, list(catalog.areas).index(c.area), c.id),
            )
        ),
    )


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
    rows = []
    for item in gap.items:
        cap = item.capability
        status = item.status if item.status != "partial" else f"partial ({item.remaining:.0%} left)"
        rows.append(
            (
                cap.id,
                f"{cap.level} · {catalog.areas[cap.area]}",
                status,
                "; ".join(item.reasons),
            )
        )
    show_rows(
        f"Gap: {len(gap.items)} capabilities", ("capability", "level · area", "status", "why"), rows
    )
    weeks = sum(min(o.person_weeks for o in i.capability.effort) * i.remaining for i in gap.items)
    console.print(f"Effort at least {weeks:g} person-weeks (cheapest staffing options).")


def show_plan(plan: Plan, *, details: bool = False) -> None:
    """The headline, the milestones and the binding role; with ``details`` also the sprints
    (who works on what) and why each item is where it is."""
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
    for assumed in plan.assumed_done:
        errors.print(
            f"note: {assumed.id}: taken as done as planned (the previous plan had it finished "
            f"by {assumed.planned_end}; current.capabilities has no answer for it): if it is "
            "not done, answer partial with its remaining share",
            markup=False,
        )
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
    console.print(binding_role(plan), markup=False)
    if not details:
        if console.is_terminal:
            console.print(
                "--details: the sprints (who works on what) and why each item is where it is",
                markup=False,
                style="dim",
            )
        return
    sprint_rows = []
    for load in plan.sprints:
        work = []
        for cap_id in load.capabilities:
            item = plan.item(cap_id)
            crew = item.crew()
            starts = " (starts)" if item.sprint_start == load.sprint else ""
            work.append(f"{cap_id}{starts}: {crew}")
        busy = ", ".join(
            f"{role} {load.busy[role]:g}/{load.available[role]:g}"
            for role in load.busy
            if load.busy[role]
        )
        sprint_rows.append((f"sprint {load.sprint}", str(load.start), "; ".join(work), busy))
    show_rows(
        f"Sprints ({plan.sprint_weeks} weeks each)",
        ("sprint", "starts", "work (capability: who)", "load (busy/available)"),
        sprint_rows,
    )
    show_rows(
        "Why each item is there, and when",
        ("capability", "start → end", "staffing", "why", "why then"),
        (
            (
                item.id + (" (critical)" if item.critical else ""),
                f"{item.start} → {item.end}",
                f"option {item.option}: " + item.crew(),
                "; ".join(item.why),
                item.why_then,
            )
            for item in plan.items
        ),
    )


_WAITING = ("role-busy", "role-short", "role-absent")


def binding_role(plan: Plan) -> str:
    """One sentence: the role the plan waited for most, and what would help."""
    waited: dict[str, int] = {}
    titles: dict[str, str] = {}
    named: dict[str, tuple[str, ...]] = {}
    for item in plan.items:
        reason = item.start_reason
        if reason is not None and reason.kind in _WAITING and reason.role:
            waited[reason.role] = waited.get(reason.role, 0) + 1
            titles[reason.role] = reason.role_title or reason.role
        elif reason is not None and reason.kind == "people-busy" and reason.people:
            key = " or ".join(reason.people)
            waited[key] = waited.get(key, 0) + 1
            named[key] = reason.people
    if not waited:
        return (
            "Binding: the prerequisites, not the people: no capability waited for anybody, "
            "so more people would not bring the target date forward."
        )
    role = max(sorted(waited), key=lambda r: waited[r])
    keys = named.get(role, (role,))
    busy = sum(load.busy.get(k, 0) for load in plan.sprints for k in keys)
    available = sum(load.available.get(k, 0) for load in plan.sprints for k in keys)
    share = f", busy {busy / available:.0%} of their time" if available else ""
    count = waited[role]
    if role in named:
        return (
            f"Binding: {role} ({count} capabilit{'y' if count == 1 else 'ies'} waited for "
            f"them{share}); someone else covering their roles is what would help first."
        )
    return (
        f"Binding role: {titles[role]} ({count} capabilit{'y' if count == 1 else 'ies'} "
        f"waited for one{share}); more people of this role are what would help first."
    )
