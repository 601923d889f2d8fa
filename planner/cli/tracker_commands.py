"""Commands that meet the tracker (Jira or Azure DevOps Boards): ``push`` and ``replan``
(which can read progress back)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from planner.cli.app import (
    DEFAULT_ENGAGEMENT,
    EngagementOption,
    TimeLimitOption,
    WorkersOption,
    app,
)

if TYPE_CHECKING:
    from planner.engagement import TrackerTarget

T = TypeVar("T")


TrackerOption = Annotated[
    str | None,
    typer.Option(
        "--tracker",
        help="jira or azure-devops (default: the engagement's tracker section, else jira).",
    ),
]
TeamOption = Annotated[
    str | None,
    typer.Option(
        help="Azure DevOps: the team whose sprints get the iterations (default: the "
        "engagement's tracker.team, else '<project> Team')."
    ),
]
EpicTypeOption = Annotated[
    str | None,
    typer.Option(help="Jira: the epic issue type's name (default: Epic, or the epic level)."),
]
StoryTypeOption = Annotated[
    str | None,
    typer.Option(help="Jira: the story issue type's name (default: Story)."),
]
LinkTypeOption = Annotated[
    str | None,
    typer.Option(help="Jira: the dependency link type (default: Blocks, or the 'blocks' one)."),
]


def _named_types(
    target: TrackerTarget, epic_type: str | None, story_type: str | None, link_type: str | None
) -> TrackerTarget:
    """``target`` with the issue and link type names given as flags (they win over the file)."""
    from dataclasses import replace

    return replace(
        target,
        epic_type=epic_type or target.epic_type,
        story_type=story_type or target.story_type,
        link_type=link_type or target.link_type,
    )


def _target(engagement: Path | None, tracker: str | None) -> TrackerTarget:
    """Where the backlog goes: the engagement file's tracker (or jira) section."""
    from planner.engagement import TrackerTarget

    target = TrackerTarget()
    if engagement is not None:
        from planner.files.engagement_loader import load_engagement

        target = load_engagement(engagement)[0].backlog_target
    return _chosen(target, tracker)


def _chosen(target: TrackerTarget, tracker: str | None) -> TrackerTarget:
    """``target``, or only its roadmap label when ``--tracker`` names another kind."""
    from planner.engagement import TRACKER_KINDS, TrackerTarget
    from planner.errors import UsageError

    if tracker is None:
        return target
    kind = tracker.strip().lower()
    if kind not in TRACKER_KINDS:
        raise UsageError(f"unknown tracker {tracker!r}; choose one of: {', '.join(TRACKER_KINDS)}")
    if kind == target.kind:
        return target
    return TrackerTarget(kind, roadmap_label=target.roadmap_label)


def _with_progress_bar(title: str, run: Callable[[Callable[[int, int, str], None]], T]) -> T:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=None)

        def advance(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what[:60])

        return run(advance)


@app.command("push")
def push_cli(
    plan: Annotated[Path, typer.Argument(help="The plan file (JSON) written by 'plan --out'.")],
    engagement: Annotated[
        Path | None,
        typer.Option(
            "--engagement",
            "-e",
            help="Take the tracker, URL and project from this engagement file's 'tracker:' "
            "(or 'jira:') section.",
            dir_okay=False,
        ),
    ] = None,
    tracker: TrackerOption = None,
    url: Annotated[
        str | None,
        typer.Option(help="Jira base URL or Azure DevOps organization URL (overrides the files)."),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(help="Jira project key or Azure DevOps project name (overrides the files)."),
    ] = None,
    team: TeamOption = None,
    credentials: Annotated[
        Path | None,
        typer.Option(
            help="A KEY=value file: JIRA_URL, JIRA_USER, JIRA_API_TOKEN for Jira; "
            "AZURE_DEVOPS_ORG_URL, AZURE_DEVOPS_EXT_PAT for Azure DevOps "
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
        typer.Option("--comment-obsolete", help="Also comment on items that left the plan."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite fields people changed in the tracker since the last push "
            "(by default they are kept and reported).",
        ),
    ] = False,
    epic_type: EpicTypeOption = None,
    story_type: StoryTypeOption = None,
    link_type: LinkTypeOption = None,
) -> None:
    """Create or update the plan's backlog in Jira or Azure DevOps Boards: epics, stories,
    versions or iterations, and dependency links.

    Idempotent: a second push changes nothing. Exit code 4 when the tracker refuses or fails.

    Example: mlops-planner push plan.json --engagement engagement.yaml --dry-run
    """
    from planner.files.plan_file import read_plan

    the_plan = read_plan(plan)
    target = _target(engagement, tracker)
    target = _named_types(target, epic_type, story_type, link_type)
    if target.kind == "azure-devops":
        from integrations.azure_devops.push import azure_settings, push_plan
        from integrations.azure_devops.settings import find_credentials as azure_credentials

        token = azure_credentials(file=credentials)
        where = azure_settings(
            url=url or target.url,
            project=project or target.project,
            team=team or target.team,
            credentials=token,
            required=token is not None,
        )

        def push_azure(advance: Callable[[int, int, str], None] | None) -> object:
            return push_plan(
                plan=the_plan,
                settings=where,
                credentials=token,
                dry_run=dry_run,
                on_progress=advance,
                comment_obsolete=comment_obsolete,
                force=force,
                roadmap=target.roadmap_label,
            )

        if dry_run or token is None:
            typer.echo(str(push_azure(None)))
        else:
            typer.echo(str(_with_progress_bar("pushing to Azure DevOps", push_azure)))
        return
    from integrations.jira import find_credentials, jira_settings
    from integrations.jira import push_plan as push_to_jira
    from planner.engagement import JiraTarget

    found = find_credentials(file=credentials)
    settings = jira_settings(
        plan=the_plan,
        target=JiraTarget(
            target.url,
            target.project,
            target.roadmap_label,
            target.epic_type,
            target.story_type,
            target.link_type,
        ),
        url=url,
        project=project,
        credentials=found,
        required=found is not None,
    )
    if dry_run or found is None:
        report = push_to_jira(
            plan=the_plan, settings=settings, credentials=found, dry_run=dry_run, force=force
        )
        typer.echo(str(report))
        return

    def push_jira(advance: Callable[[int, int, str], None]) -> object:
        return push_to_jira(
            plan=the_plan,
            settings=settings,
            credentials=found,
            dry_run=False,
            on_progress=advance,
            comment_obsolete=comment_obsolete,
            force=force,
        )

    typer.echo(str(_with_progress_bar("pushing to Jira", push_jira)))


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
    from_tracker: Annotated[
        bool,
        typer.Option(
            "--from-tracker",
            "--from-jira",
            help="Read progress from the plan's epics in the tracker (Jira or Azure DevOps); "
            "answers in the engagement file that reassess a capability win.",
        ),
    ] = False,
    tracker: TrackerOption = None,
    credentials: Annotated[
        Path | None,
        typer.Option(
            help="With --from-tracker: a KEY=value file with the tracker's URL and token "
            "(default: the environment; see push).",
            dir_okay=False,
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(help="With --from-tracker: the tracker's URL (overrides the files)."),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(help="With --from-tracker: the project (overrides the files)."),
    ] = None,
    team: TeamOption = None,
    epic_type: EpicTypeOption = None,
    story_type: StoryTypeOption = None,
    link_type: LinkTypeOption = None,
    target_level: Annotated[
        int | None,
        typer.Option("--target", help="Target level for every area (overrides the file)."),
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
    exit code 4 when the tracker refuses or fails (--from-tracker).

    Example: mlops-planner replan plan.json --today 2027-04-05 --out plan-2.json
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
    workspace = open_workspace(engagement, target_level=target_level)
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
    if from_tracker:
        from planner.backlog_progress import progress_from_tracker

        target = _chosen(workspace.engagement.backlog_target, tracker)
        target = _named_types(target, epic_type, story_type, link_type)
        if target.kind == "azure-devops":
            from integrations.azure_devops.push import read_azure_progress

            epics, site = read_azure_progress(
                previous,
                credentials=credentials,
                url=url or target.url,
                project=project or target.project,
                team=team or target.team,
            )
        else:
            from integrations.jira import read_jira_progress
            from planner.engagement import JiraTarget

            epics, site = read_jira_progress(
                previous,
                JiraTarget(
                    target.url,
                    target.project,
                    target.roadmap_label,
                    target.epic_type,
                    target.story_type,
                    target.link_type,
                ),
                credentials=credentials,
                url=url,
                project=project,
            )
        read = progress_from_tracker(epics, workspace, previous, day, site)
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
    text = render_changes_document(
        compare_plans(previous, result.plan, fresh=fresh), result.plan, previous
    )
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
