"""Commands that forecast plans under uncertainty: ``forecast`` and ``compare``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import app

SamplesOption = Annotated[
    int,
    typer.Option("--samples", min=1, max=1_000_000, help="Monte Carlo samples."),
]
SeedOption = Annotated[
    int,
    typer.Option("--seed", min=0, help="Random seed: the same seed gives the same output."),
]


@app.command("forecast")
def forecast_cli(
    plan: Annotated[Path, typer.Argument(help="The plan file (JSON) written by 'plan --out'.")],
    samples: SamplesOption = 2000,
    seed: SeedOption = 0,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the forecast as JSON.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Debug mode: check every sample's schedule (precedence, people per day).",
        ),
    ] = False,
) -> None:
    """When each milestone is reached, and how sure that is: every sample draws each
    duration from its range and re-levels the work on the plan's team.

    Example: mlops-planner forecast plan.json --samples 10000 --seed 7
    """
    from planner.cli import forecast_views
    from planner.files.plan_file import read_plan
    from planner.forecast import forecast_plan

    loaded = read_plan(plan)
    summary = forecast_plan(loaded, samples=samples, seed=seed, debug=check)
    if json_output:
        typer.echo(forecast_views.forecast_json(summary), nl=False)
        return
    forecast_views.show_forecast(loaded, summary)


@app.command("compare")
def compare_cli(
    engagements: Annotated[
        list[Path],
        typer.Argument(
            help="Engagement files, side by side (the first is the baseline).", dir_okay=False
        ),
    ],
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="Variants of the (single) engagement: PLACE=V1,V2,..., e.g. "
            "team.roles.ml-engineer.people=1,2,3 or target.level=3,4 (repeat to combine).",
        ),
    ] = None,
    what_helps: Annotated[
        bool,
        typer.Option(
            "--what-helps",
            help="Also try one more and one fewer person of each role of the first engagement.",
        ),
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown, html or json.")
    ] = "text",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the comparison here.", dir_okay=False),
    ] = None,
    samples: SamplesOption = 2000,
    seed: SeedOption = 0,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.1, help="Solver seconds (deterministic) per scenario."),
    ] = 2.0,
) -> None:
    """Plan and forecast several engagements (or variants of one) and show what differs:
    per milestone the optimal date and its P50/P85, then end, person-days, cost, peak people
    per role and the deadline's odds, each against the first column.

    Example: mlops-planner compare bank.yaml --vary team.roles.ml-engineer.people=1,2,3
    --what-helps --format html -o scenarios.html
    """
    from planner.cli import forecast_views
    from planner.errors import UsageError
    from planner.files.atomic import write_atomic
    from planner.files.engagement_loader import open_workspace
    from planner.forecast.compare import compare_workspaces, vary_workspace
    from planner.forecast.variants import parse_variation
    from planner.workspace import Workspace

    kind = fmt.strip().lower()
    if kind not in {"text", "markdown", "md", "html", "json"}:
        raise UsageError(f"--format {fmt}: use text, markdown, html or json")
    variations = [parse_variation(v) for v in vary or []]
    if variations and len(engagements) != 1:
        raise UsageError("--vary makes variants of one engagement: give exactly one file")
    named: list[tuple[str, Workspace | str]]
    if variations:
        named = vary_workspace(open_workspace(engagements[0]), variations)
    else:
        named = [(path.stem, open_workspace(path)) for path in engagements]
    result = compare_workspaces(
        named, what_helps_too=what_helps, time_limit=time_limit, samples=samples, seed=seed
    )
    if kind == "text" and out is None:
        forecast_views.show_comparison(result)
        return
    text = forecast_views.comparison_text(result, "markdown" if kind in {"text", "md"} else kind)
    if out is None:
        typer.echo(text, nl=False)
        return
    write_atomic(out, text)
    typer.echo(f"comparison written to {out}")
