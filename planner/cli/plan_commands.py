"""Commands that make and render plans: ``plan`` and ``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import (
    DEFAULT_ENGAGEMENT,
    EngagementOption,
    TimeLimitOption,
    WorkersOption,
    app,
)


@app.command("plan")
def plan_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    target: Annotated[
        int | None, typer.Option(help="Target level for every area (overrides the file).")
    ] = None,
    time_limit: TimeLimitOption = 10.0,
    workers: WorkersOption = 1,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the plan file (JSON) here.", dir_okay=False),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    details: Annotated[
        bool,
        typer.Option("--details", help="Also show the sprints and why each item is where it is."),
    ] = False,
    what_helps: Annotated[
        bool,
        typer.Option(
            "--what-helps",
            help="Also try one more and one fewer person of each role: target dates and cost.",
        ),
    ] = False,
) -> None:
    """Order the gap into milestones the team can staff (CP-SAT) and explain every item;
    prints the headline, the milestones and the binding role (the rest with --details).

    Exit code 3, with what conflicts and what would help, when no plan can meet the request.

    Example: mlops-planner plan --engagement engagement.yaml --out plan.json
    """
    from planner.cli import forecast_views, views
    from planner.cli.outputs import check_output
    from planner.files.engagement_loader import open_workspace
    from planner.files.plan_file import plan_to_json, write_plan
    from planner.forecast import with_forecast
    from planner.scheduling.planning import make_plan
    from planner.workspace import nothing_to_plan

    workspace = open_workspace(engagement, target_level=target, refuse_target_below=True)
    if out is not None:
        check_output(out, inputs=[("the engagement file", engagement)])
    done = nothing_to_plan(workspace)
    if done is not None:
        views.show_warnings(workspace.warnings)
        typer.echo(done + ("; no plan file written" if out is not None else ""))
        return
    plan = with_forecast(make_plan(workspace, time_limit=time_limit, workers=workers))
    if out is not None:
        write_plan(plan, out)
    if json_output:
        typer.echo(plan_to_json(plan), nl=False)
        return
    views.show_warnings(workspace.warnings)
    views.show_plan(plan, details=details)
    line = forecast_views.target_line(plan)
    if line:
        typer.echo(line)
    if what_helps:
        from planner.forecast.compare import VARIANT_TIME_LIMIT, staffing_helps

        limit = min(time_limit, VARIANT_TIME_LIMIT)
        helps = staffing_helps(workspace, plan, time_limit=limit, samples=2000, seed=0)
        forecast_views.show_helps(helps)
    if out is not None:
        typer.echo(f"plan written to {out}")
        views.next_step(f"mlops-planner report {out} --format html")
        views.next_step(f"mlops-planner push {out} --dry-run")
    else:
        views.next_step(f"mlops-planner plan --engagement {engagement} --out plan.json")


@app.command("report")
def report_cli(
    plan: Annotated[Path, typer.Argument(help="The plan file (JSON) written by 'plan --out'.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown, html, scope, scope-html, csv, msproject (Microsoft Project XML), "
            "xlsx (Excel workbook), ical (milestones), json (the plan file), or a tracker "
            "import file: jira-csv, azure-devops-csv (default: from --out's extension, else "
            "markdown).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the report here (default: roadmap.md, roadmap.html, scope.md, ... "
            "by format).",
            dir_okay=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="A folder of your own templates (same names as the built-in ones), "
            "rendered in a sandbox; missing ones fall back to the built-in templates.",
            file_okay=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="The plan file this plan replaced (replan): markdown and html then open with "
            "what changed, and the html timeline draws the previous plan's bars faintly.",
            dir_okay=False,
        ),
    ] = None,
    work_item_type: Annotated[
        str,
        typer.Option(
            "--work-item-type",
            help="azure-devops-csv: the project's requirement type (User Story for Agile, "
            "Product Backlog Item for Scrum, Issue for Basic, Requirement for CMMI).",
        ),
    ] = "User Story",
    arrows: Annotated[
        str,
        typer.Option(help="Dependency arrows on the timeline: critical, all or none."),
    ] = "critical",
    group: Annotated[
        str, typer.Option(help="Timeline rows grouped by milestone, area or none.")
    ] = "milestone",
    paper: Annotated[str, typer.Option(help="Paper size when printed: A4 or letter.")] = "A4",
    today: Annotated[
        str | None,
        typer.Option(
            help="The date of the today line (YYYY-MM-DD; default: today; drawn when inside "
            "the plan)."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Compare with a previous plan of another engagement."),
    ] = False,
) -> None:
    """Render a plan file as a roadmap, a scope document, CSV for spreadsheets, or a file
    to import into Jira or Azure DevOps Boards; the format follows --out's extension, and
    the file's name the format.

    Example: mlops-planner report plan.json --format html --out roadmap.html
    """
    import datetime as dt

    from planner.cli.outputs import check_output, check_same_engagement, report_target
    from planner.errors import PlannerError, UsageError
    from planner.files.atomic import write_atomic
    from planner.files.plan_file import plan_to_json, read_plan
    from planner.reports import ChartOptions, render_bytes

    fmt, out = report_target(fmt, out)
    check_output(
        out,
        inputs=[("the plan file", plan)] + ([("the previous plan", previous)] if previous else []),
    )
    current = read_plan(plan)
    if not current.items:
        raise PlannerError(f"{plan} holds no capabilities: nothing to report; no file written")
    if fmt == "json":
        write_atomic(out, plan_to_json(current))
        typer.echo(f"{fmt} report written to {out}")
        return
    if fmt in ("jira-csv", "azure-devops-csv"):
        # Rendered from the very backlog a push sends, so a later push recognises every item.
        from integrations.import_csv import import_csv

        if previous is not None or templates is not None:
            raise UsageError(f"{fmt} takes neither --previous nor --templates")
        write_atomic(out, import_csv(current, fmt, requirement_type=work_item_type))
        typer.echo(f"{fmt} report written to {out}")
        return
    try:
        when = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise UsageError(f"--today: not a date (YYYY-MM-DD): {today!r}") from None
    before = read_plan(previous) if previous is not None else None
    changes = None
    if before is not None and previous is not None:
        if not force:
            check_same_engagement(
                before,
                previous,
                name=current.engagement,
                digest=None,
                expected=f"the engagement of {plan}",
                fix=f"pass --previous a plan of '{current.engagement}', or --force",
            )
        from planner.scheduling.changes import compare_plans

        changes = compare_plans(before, current)
    paper_size = "A4" if paper.strip().lower() == "a4" else paper.strip().lower()
    content = render_bytes(
        current,
        fmt,
        templates_dir=templates,
        previous=before,
        changes=changes,
        options=ChartOptions(arrows=arrows, group=group, today=when, paper=paper_size),
    )
    write_atomic(out, content)
    typer.echo(f"{fmt} report written to {out}")
    from planner.cli import views

    views.next_step(f"mlops-planner push {plan} --dry-run")
