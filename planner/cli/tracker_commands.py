"""Commands that meet the tracker: ``push`` and ``replan`` (which can read Jira)."""

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
    time_limit: TimeLimitOption = 10.0,
    workers: WorkersOption = 1,
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
    force: Annotated[
        bool,
        typer.Option("--force", help="Re-plan from a plan made for another engagement."),
    ] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the new plan as JSON.")
    ] = False,
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
    from planner.cli.outputs import check_output, check_same_engagement
    from planner.files.atomic import write_atomic
    from planner.files.engagement_loader import open_workspace
    from planner.files.plan_file import plan_to_json, read_plan, write_plan
    from planner.reports.render import render_changes_document
    from planner.scheduling.changes import compare_plans
    from planner.scheduling.planning import inputs_digest
    from planner.scheduling.replan import parse_day, replan

    inputs = [("the previous plan", plan), ("the engagement file", engagement)]
    check_output(out, inputs=inputs)
    if changes is not None:
        check_output(changes, inputs=inputs, option="--changes")
    previous = read_plan(plan)
    workspace = open_workspace(engagement)
    if not force:
        check_same_engagement(
            previous,
            plan,
            name=workspace.engagement.name,
            digest=inputs_digest(workspace),
            expected=str(engagement),
            fix=f"pass --engagement with the file of '{previous.engagement}', or --force",
        )
    day = date.today() if today is None else parse_day(today)
    started = None
    if from_jira:
        from integrations.jira import read_jira_progress
        from planner.backlog_progress import progress_from_tracker

        epics, tracker = read_jira_progress(
            previous,
            workspace.engagement.jira,
            credentials=credentials,
            url=url,
            project=project,
        )
        read = progress_from_tracker(epics, workspace, previous, day, tracker)
        workspace, started = read.workspace, read.started
        typer.echo(read.summary())
    result = replan(
        workspace,
        previous,
        day,
        fresh=fresh,
        time_limit=time_limit,
        workers=workers,
        started=started,
    )
    text = render_changes_document(compare_plans(previous, result.plan, fresh=fresh))
    write_plan(result.plan, out)
    if changes is not None:
        write_atomic(changes, text)
    if json_output:
        typer.echo(plan_to_json(result.plan), nl=False)
        return
    views.show_warnings(workspace.warnings)
    Console(highlight=False).print(Markdown(text))
    written = f"new plan written to {out}"
    typer.echo(written + (f"; changes written to {changes}" if changes is not None else ""))
