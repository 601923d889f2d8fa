"""Forecast speed: printed, never asserted.

    python bench/forecast.py [--samples 10000] [--portfolio 1000] [--time-limit 10]

1. The bank example (examples/bank-level1-to-3.yaml): N samples, each re-levelled on the
   team (target: 10,000 samples in under 2 s).
2. The generated portfolio of bench/plan.py (1,000 capabilities, 15 people) with every
   option given a range of 0.75x to 2x its weeks: N samples (target: under 60 s).

The plan itself is solved first and not timed; the forecast's seconds include building
the model, drawing, re-levelling and summarising.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan import portfolio_case

from planner.assessment import assess
from planner.files.engagement_loader import open_workspace
from planner.forecast import forecast_plan
from planner.gap import compute_gap
from planner.scheduling.planning import make_plan
from planner.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


def with_ranges(workspace: Workspace, low: float = 0.75, high: float = 2.0) -> Workspace:
    catalog = workspace.catalog
    capabilities = tuple(
        replace(
            cap,
            effort=tuple(
                replace(o, optimistic=o.weeks * low, pessimistic=o.weeks * high) for o in cap.effort
            ),
        )
        for cap in catalog.capabilities
    )
    catalog = replace(catalog, capabilities=capabilities)
    assessment = assess(catalog, workspace.engagement.current)
    gap = compute_gap(catalog, assessment, workspace.engagement.target)
    return replace(workspace, catalog=catalog, assessment=assessment, gap=gap)


def measure(label: str, workspace: Workspace, samples: int, time_limit: float) -> None:
    began = time.perf_counter()
    plan = make_plan(workspace, time_limit=time_limit)
    solved = time.perf_counter() - began
    began = time.perf_counter()
    summary = forecast_plan(plan, samples=samples, seed=0)
    seconds = time.perf_counter() - began
    target = summary.target
    print(
        f"| {label} | {len(plan.items)} | {samples:,} | {seconds:.2f} | "
        f"{samples / seconds:,.0f} | {target.optimal} | {target.p50} | {target.p85} | "
        f"{solved:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--portfolio", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    print(
        "| case | capabilities | samples | forecast seconds | samples/s | optimal target "
        "| P50 | P85 | plan solve seconds |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    bank = open_workspace(ROOT / "examples" / "bank-level1-to-3.yaml")
    measure("bank example", bank, args.samples, args.time_limit)
    if args.portfolio:
        portfolio = with_ranges(portfolio_case(args.portfolio))
        measure(f"portfolio of {args.portfolio}", portfolio, args.samples, args.time_limit)


if __name__ == "__main__":
    main()
