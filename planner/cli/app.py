"""The typer application and its commands. Each command normalises its arguments, calls
one plain function and shows the result; nothing here computes anything itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from planner import __version__

app = typer.Typer(
    name="mlops-planner",
    help="Plan an organisation's path up the MLOps maturity model: gap, plan, reports, Jira.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
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
TimeLimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit", min=0.1, help="Wall-clock seconds for the whole solve, all stages together."
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option(
        min=1,
        max=64,
        help="Solver threads (more than 1: an interleaved, still deterministic portfolio; "
        "one is usually fastest for a roadmap).",
    ),
]


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
    """Write a commented example engagement file that runs as it is.

    Example: mlops-planner init engagement.yaml
    """
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
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List the capabilities of the engagement's catalog (or the built-in one).

    Example: mlops-planner catalog list --builtin
    """
    from planner.cli import commands, views

    catalog = commands.catalog_for(engagement=None if builtin else engagement)
    if json_output:
        caps = [commands.capability_json(catalog, cap) for cap in catalog.capabilities]
        typer.echo(json.dumps(caps, indent=2, ensure_ascii=False))
        return
    views.show_catalog(catalog)


@catalog_app.command("show")
def catalog_show_cli(
    capability: Annotated[str, typer.Argument(help="A capability id.")],
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show one capability in full: effort options, deliverables, criteria, stories.

    Example: mlops-planner catalog show experiment-tracking
    """
    from planner.cli import commands, views

    catalog = commands.catalog_for(engagement=engagement)
    found = commands.find_capability(catalog, capability)
    if json_output:
        data = commands.capability_json(catalog, found, full=True)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    views.show_capability(catalog, found)


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
    """Validate a catalog and its overlays; every problem is listed with its place.

    Example: mlops-planner catalog validate --overlay my-estimates.yaml
    """
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
            help="Take the answers from this YAML file instead of asking: "
            "'capabilities: {experiment-tracking: done, model-registry: {status: partial, "
            "remaining: 0.4}}' (format: 'mlops-planner schema answers').",
            dir_okay=False,
        ),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option("--all", help="Ask about every capability, not only those the target needs."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Assess the current state, one question per capability the target needs; each answer
    is saved in the engagement's 'current' section at once (the rest of the file is kept),
    and a stopped assessment goes on where it stopped.

    Example: mlops-planner assess --engagement engagement.yaml
    """
    import sys

    from planner.cli import commands, views
    from planner.errors import UsageError

    if answers is None:
        if not sys.stdin.isatty():
            raise UsageError(
                "assess asks its questions on a terminal, and there is none here; give the "
                f"answers in a file instead: mlops-planner assess --engagement {engagement} "
                "--answers answers.yaml (its format: 'mlops-planner schema answers')"
            )
        result = commands.assess_interactively(engagement=engagement, everything=everything)
    else:
        result = commands.assess_from_answers(engagement=engagement, answers=answers)
    if json_output:
        typer.echo(commands.assessment_json(result, engagement))
        return
    views.show_assessment(result)
    typer.echo(f"updated the 'current' section of {engagement}")
    views.next_step(f"mlops-planner gap --engagement {engagement}")


@app.command("gap")
def gap_cli(
    engagement: EngagementOption = DEFAULT_ENGAGEMENT,
    target: Annotated[
        int | None, typer.Option(help="Target level for every area (overrides the file).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """What is missing to reach the target, grouped by level and area, and why.

    Example: mlops-planner gap --engagement engagement.yaml --target 3
    """
    from planner.cli import views
    from planner.files.engagement_loader import open_workspace
    from planner.workspace import nothing_to_plan

    workspace = open_workspace(engagement, target_level=target, refuse_target_below=True)
    done = nothing_to_plan(workspace)
    if done is not None and not json_output:
        views.show_warnings(workspace.warnings)
        typer.echo(done)
        return
    if json_output:
        from planner.files.gap_json import gap_to_json

        typer.echo(gap_to_json(workspace))
    else:
        views.show_warnings(workspace.warnings)
        views.show_gap(workspace)
        views.next_step(f"mlops-planner plan --engagement {engagement} --out plan.json")


@app.command("schema")
def schema_cli(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="catalog, overlay, engagement, answers or plan; none: all of them as one "
            "JSON object."
        ),
    ] = None,
) -> None:
    """Print JSON Schemas of the file formats, for editors to validate as you type.

    Example: mlops-planner schema engagement > engagement.schema.json
    """
    from planner.cli import commands

    typer.echo(commands.json_schema(kind=kind))
