"""The typer application and its commands. Each command normalises its arguments, calls
one plain function and shows the result; nothing here computes anything itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner import __version__

app = typer.Typer(
    name="mlops-planner",
    help="Plan an organisation's path up the MLOps maturity model: gap, plan, reports, Jira.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
catalog_app = typer.Typer(help="List, show and validate capability catalogs.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")

EngagementOption = Annotated[
    Path,
    typer.Option(
        "--engagement", "-e", help="The engagement file (every command reads it).", dir_okay=False
    ),
]
DEFAULT_ENGAGEMENT = Path("engagement.yaml")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlops-planner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan an organisation's path up the MLOps maturity model."""


@app.command("init")
def init_cli(
    path: Annotated[Path, typer.Argument(help="Where to write the example engagement.")] = (
        DEFAULT_ENGAGEMENT
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented example engagement file that runs as it is."""
    from planner.cli import commands

    commands.write_example(path=path, force=force)
    typer.echo(f"wrote {path}; next: mlops-planner gap --engagement {path}")


@catalog_app.command("list")
def catalog_list_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    builtin: Annotated[
        bool,
        typer.Option("--builtin", help="List the built-in catalog, ignoring any engagement file."),
    ] = False,
) -> None:
    """List the capabilities of the engagement's catalog (or the built-in one)."""
    from planner.cli import commands, views

    catalog = commands.catalog_for(engagement=None if builtin else engagement)
    views.show_catalog(catalog)


@catalog_app.command("show")
def catalog_show_cli(
    capability: Annotated[str, typer.Argument(help="A capability id.")],
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
) -> None:
    """Show one capability in full: effort options, deliverables, criteria, stories."""
    from planner.cli import commands, views

    catalog = commands.catalog_for(engagement=engagement)
    views.show_capability(catalog, commands.find_capability(catalog, capability))


@catalog_app.command("validate")
def catalog_validate_cli(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="A catalog file followed by overlay files; none: the built-in catalog."
        ),
    ] = None,
    overlay: Annotated[
        list[Path] | None,
        typer.Option("--overlay", help="Overlay on the built-in catalog (repeatable)."),
    ] = None,
) -> None:
    """Validate a catalog and its overlays; every problem is listed with its place."""
    from planner.cli import commands, views

    catalog, warnings = commands.validate_catalog(files=files or [], overlays=overlay or [])
    views.show_warnings(warnings)
    typer.echo(
        f"ok: catalog '{catalog.id}' {catalog.version}: {len(catalog.capabilities)} "
        f"capabilities, {len(catalog.roles)} roles, levels "
        f"{min(catalog.levels)}-{catalog.max_level}"
    )


@app.command("assess")
def assess_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    answers: Annotated[
        Path | None,
        typer.Option(
            help="Take the answers from this YAML file instead of asking.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Assess the current state, one question per capability; writes the engagement's
    'current' section and keeps the rest of the file as it is."""
    from planner.cli import commands, views

    if answers is None:
        result = commands.assess_interactively(engagement=engagement)
    else:
        result = commands.assess_from_answers(engagement=engagement, answers=answers)
    views.show_assessment(result)
    typer.echo(f"updated the 'current' section of {engagement}")


@app.command("gap")
def gap_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    target: Annotated[
        int | None, typer.Option(help="Target level for every area (overrides the file).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """What is missing to reach the target, grouped by level and area, and why."""
    from planner.cli import views
    from planner.workspace import open_workspace

    workspace = open_workspace(engagement, target_level=target)
    if json_output:
        from planner.files.gap_json import gap_to_json

        typer.echo(gap_to_json(workspace))
    else:
        views.show_warnings(workspace.warnings)
        views.show_gap(workspace)


@app.command("schema")
def schema_cli(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="catalog, overlay, engagement or plan; none: all of them as one JSON object."
        ),
    ] = None,
) -> None:
    """Print JSON Schemas of the file formats, for editors to validate as you type."""
    from planner.cli import commands

    typer.echo(commands.json_schema(kind=kind))


@app.command("plan")
def plan_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    target: Annotated[
        int | None, typer.Option(help="Target level for every area (overrides the file).")
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", min=0.1, help="Solver time limit in seconds (deterministic time)."
        ),
    ] = 10.0,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Solver threads (more than 1: an interleaved, still "
                     "deterministic portfolio; one is usually fastest for a roadmap)."),
    ] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Write the plan file (JSON) here.", dir_okay=False)
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Order the gap into milestones the team can staff (CP-SAT) and explain every item.

    Exit code 3, with what conflicts and what would help, when no plan can meet the request.
    """
    from planner.cli import views
    from planner.files.plan_file import plan_to_json, write_plan
    from planner.scheduling.planning import make_plan
    from planner.workspace import open_workspace

    workspace = open_workspace(engagement, target_level=target)
    plan = make_plan(workspace, time_limit=time_limit, workers=workers)
    if out is not None:
        write_plan(plan, out)
    if json_output:
        typer.echo(plan_to_json(plan), nl=False)
        return
    views.show_warnings(workspace.warnings)
    views.show_plan(plan)
    if out is not None:
        typer.echo(f"plan written to {out}")


@app.command("report")
def report_cli(
    plan: Annotated[Path, typer.Argument(help="The plan file (JSON) written by 'plan --out'.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="markdown, html, scope, scope-html, csv, jira-csv or json.",
        ),
    ] = "markdown",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Write the report here.", dir_okay=False)
    ] = Path("roadmap.md"),
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
            help="The plan file this plan replaced (replan): markdown and html then say what "
            "changed, and the html timeline draws the previous plan's bars faintly.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Render a plan file as a roadmap, a scope document, CSV for spreadsheets or Jira."""
    from planner.files.plan_file import read_plan
    from planner.reports import write_report

    before = read_plan(previous) if previous is not None else None
    write_report(
        read_plan(plan),
        fmt=fmt.strip().lower(),
        out=out,
        templates_dir=templates,
        previous=before,
    )
    typer.echo(f"{fmt} report written to {out}")


@app.command("push")
def push_cli(
    plan: Annotated[Path, typer.Argument(help="The plan file (JSON) written by 'plan --out'.")],
    engagement: Annotated[
        Path | None,
        typer.Option(
            "--engagement",
            "-e",
            help="Take the Jira URL and project from this engagement file's 'jira:' section.",
            dir_okay=False,
        ),
    ] = None,
    url: Annotated[str | None, typer.Option(help="Jira base URL (overrides the files).")] = None,
    project: Annotated[
        str | None, typer.Option(help="Jira project key (overrides the files).")
    ] = None,
    credentials: Annotated[
        Path | None,
        typer.Option(
            help="A KEY=value file with JIRA_URL, JIRA_USER, JIRA_API_TOKEN "
            "(default: the environment).",
            dir_okay=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what would change and write nothing; without credentials, compared "
            "with an empty project.",
        ),
    ] = False,
    comment_obsolete: Annotated[
        bool,
        typer.Option("--comment-obsolete", help="Also comment on issues that left the plan."),
    ] = False,
) -> None:
    """Create or update the plan's epics, stories, versions and "Blocks" links in Jira.

    Idempotent: a second push changes nothing. Exit code 4 when Jira refuses or fails.
    """
    from integrations.jira import find_credentials, jira_settings, push_plan
    from planner.files.plan_file import read_plan

    the_plan = read_plan(plan)
    target = None
    if engagement is not None:
        from planner.files.engagement_loader import load_engagement

        target = load_engagement(engagement)[0].jira
    found = find_credentials(file=credentials)
    settings = jira_settings(
        plan=the_plan,
        target=target,
        url=url,
        project=project,
        credentials=found,
        required=found is not None,
    )
    if dry_run or found is None:
        report = push_plan(plan=the_plan, settings=settings, credentials=found, dry_run=dry_run)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("pushing to Jira", total=None)

            def advance(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what[:60])

            report = push_plan(
                plan=the_plan,
                settings=settings,
                credentials=found,
                dry_run=False,
                on_progress=advance,
                comment_obsolete=comment_obsolete,
            )
    typer.echo(str(report))


@app.command("replan")
def replan_cli(
    plan: Annotated[Path, typer.Argument(help="The previous plan file (JSON).", dir_okay=False)],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Write the new plan file here.", dir_okay=False)
    ],
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    today: Annotated[
        str | None,
        typer.Option(
            help="The re-plan date, YYYY-MM-DD: nothing new starts before it. Default: today."
        ),
    ] = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Ignore the previous plan's sprints (done work and work in progress still count).",
        ),
    ] = False,
    changes: Annotated[
        Path | None,
        typer.Option(help="Also write the change report (Markdown) here.", dir_okay=False),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", min=0.1, help="Solver time limit in seconds (deterministic time)."
        ),
    ] = 10.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Solver threads.")] = 1,
    from_jira: Annotated[
        bool,
        typer.Option(
            "--from-jira",
            help="Read progress from the plan's Jira epics; answers in the engagement file "
            "that reassess a capability win.",
        ),
    ] = False,
    credentials: Annotated[
        Path | None,
        typer.Option(
            help="With --from-jira: a KEY=value file with JIRA_URL, JIRA_USER, JIRA_API_TOKEN "
            "(default: the environment).",
            dir_okay=False,
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="With --from-jira: Jira base URL (overrides the files).")
    ] = None,
    project: Annotated[
        str | None, typer.Option(help="With --from-jira: Jira project key (overrides the files).")
    ] = None,
) -> None:
    """Re-plan after a reassessment: keep done work, continue work in progress from today,
    move as little as possible, and say what changed and why.

    Exit code 3, with what conflicts and what would help, when no plan can meet the request;
    exit code 4 when Jira refuses or fails (--from-jira).
    """
    from datetime import date

    from rich.console import Console
    from rich.markdown import Markdown

    from planner.cli import views
    from planner.files.atomic import write_atomic
    from planner.files.plan_file import read_plan, write_plan
    from planner.scheduling.changes import compare_plans, render_changes
    from planner.scheduling.replan import parse_day, replan
    from planner.workspace import open_workspace

    previous = read_plan(plan)
    workspace = open_workspace(engagement)
    day = date.today() if today is None else parse_day(today)
    started = None
    if from_jira:
        from integrations.jira.replan_progress import read_jira_progress

        jira = read_jira_progress(
            workspace, previous, day, credentials=credentials, url=url, project=project
        )
        workspace, started = jira.workspace, jira.started
        typer.echo(jira.summary())
    result = replan(
        workspace,
        previous,
        day,
        fresh=fresh,
        time_limit=time_limit,
        workers=workers,
        started=started,
    )
    text = render_changes(compare_plans(previous, result.plan, fresh=fresh))
    write_plan(result.plan, out)
    if changes is not None:
        write_atomic(changes, text)
    views.show_warnings(workspace.warnings)
    Console(highlight=False).print(Markdown(text))
    written = f"new plan written to {out}"
    typer.echo(written + (f"; changes written to {changes}" if changes is not None else ""))
