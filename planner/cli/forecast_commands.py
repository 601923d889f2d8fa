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
